import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg reprioritize` and `wg reschedule` against upstream's own cases (graphwork/workgraph
 * src/commands/reprioritize.rs and reschedule.rs `mod tests`) no other file ports, each named in its `it`.
 * test_reprioritize_normal_to_high, test_reprioritize_to_critical, test_reprioritize_to_low,
 * test_reprioritize_to_idle, test_reprioritize_case_insensitive, test_reprioritize_accepts_numeric_and_named,
 * test_reprioritize_same_priority_noop, test_reprioritize_nonexistent_task and reschedule.rs's other cases are in
 * test/cli/upstream-commands.test.ts. Run in process through the real command table.
 */

let p: InProcessProject;
beforeEach(() => {
  p = new InProcessProject('wg-reprioritize-');
});
afterEach(() => p.remove());

describe('wg reprioritize (upstream reprioritize.rs)', () => {
  it('test_reprioritize_with_existing_priority: critical to low', async () => {
    await p.ok(['init']);
    await p.importTasks([{ id: 't1', title: 'Task 1', priority: 100 }]);
    expect(await p.ok(['reprioritize', 't1', 'low'])).toBe("Reprioritized 't1': critical -> low");
    expect(await p.json<Task>(['show', 't1'])).toMatchObject({ priority: 'low', priority_value: 5 });
  });

  it('test_reprioritize_uninitialized_workgraph / test_reschedule_uninitialized_workgraph: refused in one line, nothing made', async () => {
    for (const args of [
      ['reprioritize', 't1', 'high'],
      ['reschedule', 't1', '--after', '1'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode, args[0]).not.toBe(0);
      expect(result.stderr, args[0]).toBe(`wg: no workgraph at ${join(p.root, '.workgraph')} (run 'wg init')`);
      expect(existsSync(join(p.root, '.workgraph')), args[0]).toBe(false);
    }
  });
});
