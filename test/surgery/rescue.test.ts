import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { operationsPath } from '../../src/core/provenance/operations-log';
import { SurgeryGraph } from './surgery-support';

/* Upstream's `wg rescue` (src/commands/rescue.rs), its cases ported by name. */

let graph: SurgeryGraph | null = null;
afterEach(async () => {
  await graph?.dispose();
  graph = null;
});

/** P → T → S, T failed (upstream's setup_classic_fan). */
async function classicFan(): Promise<SurgeryGraph> {
  graph = await SurgeryGraph.of([
    { id: 'p', status: 'done', before: ['t'] },
    { id: 't', status: 'failed', after: ['p'], before: ['s'] },
    { id: 's', status: 'open', after: ['t'] },
  ]);
  return graph;
}

describe('wg rescue', () => {
  // upstream: src/commands/rescue.rs rescue_creates_first_class_task_with_rescue_tag
  it('rescue_creates_first_class_task_with_rescue_tag', async () => {
    const g = await classicFan();
    const rescue = await g.run('task:rescue', {
      target: 't',
      description: 'Implement the feature correctly — the previous attempt wrote to /tmp, use cwd.',
      id: 'rescue-t',
      fromEval: '.evaluate-t',
    });
    expect(rescue.id.startsWith('.')).toBe(false);
    expect(rescue.tags).toContain('rescue');
    expect(rescue.description).toContain('Rescue for `t`');
    expect(rescue.description).toContain('.evaluate-t');
    expect(rescue.description).toContain('What to fix');
    expect(rescue.description).toContain('wrote to /tmp');
  });

  // upstream: src/commands/rescue.rs rescue_reroutes_successors_and_preserves_target
  it('rescue_reroutes_successors_and_preserves_target', async () => {
    const g = await classicFan();
    const rescue = await g.run('task:rescue', { target: 't', description: 'fix the thing', id: 'rescue-t', fromEval: '.evaluate-t' });
    expect(await g.after(rescue.id)).toEqual(['p']);
    expect(await g.before(rescue.id)).toEqual(['s']);
    expect(await g.after('s')).toEqual([rescue.id]);
    const target = await g.task('t');
    expect(target.status).toBe('failed');
    expect(await g.before('t')).toEqual([]);
    expect(target.log.some((e) => e.message.includes('superseded by rescue task'))).toBe(true);
  });

  // upstream: src/commands/rescue.rs rescue_rejects_empty_description
  it('rescue_rejects_empty_description', async () => {
    const g = await classicFan();
    await expect(g.run('task:rescue', { target: 't', description: '   ', fromEval: '.evaluate-t' })).rejects.toThrow('description');
    expect(await g.temp.store.list()).toHaveLength(3);
  });

  // upstream: src/commands/rescue.rs rescue_errors_on_nonexistent_target
  it('rescue_errors_on_nonexistent_target', async () => {
    const g = await classicFan();
    await expect(g.run('task:rescue', { target: 'nonexistent', description: 'do a thing' })).rejects.toThrow('not found');
    expect(await g.temp.store.list()).toHaveLength(3);
  });

  // upstream: src/commands/rescue.rs rescue_writes_operations_log_entry
  it('rescue_writes_operations_log_entry', async () => {
    const g = await classicFan();
    const rescue = await g.run('task:rescue', { target: 't', description: 'fix', id: 'rescue-t', fromEval: '.evaluate-t' });
    const path = operationsPath(g.wgDir);
    expect(existsSync(path)).toBe(true);
    const content = readFileSync(path, 'utf8');
    expect(content).toContain('"op":"rescue"');
    expect(content).toContain(rescue.id);
    expect(content).toContain('"target":"t"');
    expect(content).toContain('.evaluate-t');
  });

  it("takes the title 'Rescue: <target>' and warns when the target is already done", async () => {
    const g = await classicFan();
    const rescue = await g.run('task:rescue', { target: 'p', description: 'the done was wrong' });
    expect(rescue).toMatchObject({ id: 'rescue-p', title: 'Rescue: p' });
    expect(g.warnings.join('\n')).toContain("target 'p' is already Done");
    expect((await g.task(rescue.id)).log.map((e) => e.message)).toContain("supersedes 'p'; created from eval (direct)");
  });
});
