import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * One retry budget, said the same way by every command (shared/retry-budget.ts): `wg incomplete` said
 * "attempt 1/3" (its own limit, 3) while `wg show` said "Retries 1 of 2" (agent.max_retries, 2), and
 * after the third "Retries 3 of 2".
 */
const p = new TempProject('wg-retry-budget-');
beforeAll(() => p.ok(['init']));
afterAll(() => p.remove());

const line = async (args: string[], label: string) =>
  (await p.ok(args))
    .split('\n')
    .find((l) => l.trim().startsWith(label))
    ?.trim();

async function incomplete(id: string): Promise<string> {
  // --force: past its retry delay (ready_after), as the coordinator would be 30 s later.
  await p.ok(['claim', id, '--agent', 'agent-1', '--force']);
  return p.ok(['incomplete', id, '--reason', 'not yet']);
}

describe('one retry budget', () => {
  it('wg incomplete, show, list, fail and retry count against the same budget, to its end and no further', async () => {
    await p.ok(['add', 'Flaky', '--id', 'flaky']);
    expect(await incomplete('flaky')).toContain('(attempt 1/3)');
    expect(await line(['show', 'flaky'], 'Retries')).toMatch(/^Retries +1 of 3$/);
    expect(await p.ok(['list'])).toMatch(/^flaky +incomplete +normal +Flaky \[ready in \d+s\] +\(retries 1 of 3\)$/m);
    expect(await incomplete('flaky')).toContain('(attempt 2/3)');
    expect(await line(['show', 'flaky'], 'Retries')).toMatch(/^Retries +2 of 3$/);
    // The third: the budget is used, and the task fails, as every command then says.
    expect(await incomplete('flaky')).toContain("Task 'flaky' failed — retry exhausted after 3 attempts");
    expect(await line(['show', 'flaky'], 'Retries')).toMatch(/^Retries +3 of 3$/);
    expect(await line(['show', 'flaky'], 'Failure')).toMatch(/Retry exhausted \(3\/3 attempts\)/);
    // A person may retry past it; every command then says it is past its limit.
    expect(await p.ok(['retry', 'flaky'])).toBe("Reset 'flaky' from failed to open for retry (attempt #4)\n  Retries: 3 of 3");
    await p.ok(['claim', 'flaky', '--agent', 'agent-2']);
    expect(await p.ok(['fail', 'flaky', '--reason', 'still not'])).toBe(
      "Marked 'flaky' as failed (still not) (retry #4)\n  Retries: 4 of 3 (past its limit)",
    );
    expect(await line(['show', 'flaky'], 'Retries')).toMatch(/^Retries +4 of 3 \(past its limit\)$/);
  });

  it("a task's own --max-retries, and the project's (agent.max_retries, or upstream's coordinator.max_incomplete_retries)", async () => {
    await p.ok(['add', 'Own', '--id', 'own', '--max-retries', '5']);
    expect(await incomplete('own')).toContain('(attempt 1/5)');
    expect(await line(['show', 'own'], 'Retries')).toMatch(/^Retries +1 of 5$/);
    await p.ok(['config', '--max-retries', '2']);
    await p.ok(['add', 'Project', '--id', 'project']);
    expect(await incomplete('project')).toContain('(attempt 1/2)');
    expect(await line(['show', 'project'], 'Retries')).toMatch(/^Retries +1 of 2$/);
    const q = new TempProject('wg-retry-budget-upstream-');
    try {
      await q.ok(['init']);
      appendFileSync(join(q.root, '.workgraph', 'config.toml'), '\n[coordinator]\nmax_incomplete_retries = 4\n');
      await q.ok(['add', 'Upstream', '--id', 'up']);
      await q.ok(['claim', 'up', '--agent', 'agent-1']);
      expect(await q.ok(['incomplete', 'up'])).toContain('(attempt 1/4)');
      expect(
        (await q.ok(['show', 'up']))
          .split('\n')
          .find((l) => l.trim().startsWith('Retries'))
          ?.trim(),
      ).toMatch(/^Retries +1 of 4$/);
    } finally {
      q.remove();
    }
  });
});
