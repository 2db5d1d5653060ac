import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/shared/insight';
import type { TaskSummary } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg done X --ignore-unmerged-worktree` (which a conflict's refusal suggests) marks X done without its work and adds
 * `.merge-X`, which nothing but a person finishes, so `wg list` and `wg status` show it (hidden with upstream's
 * system tasks, which upstream's list hides by their dot, only X's log would say the work is off the base branch). Upstream's own hiding of its system tasks is unchanged (test/commands/list.test.ts).
 */
let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-merge-shown-');
  await p.ok(['init']);
  await p.importTasks([
    { id: 'b', title: 'Write the parser', status: 'done', completed_at: new Date().toISOString() },
    { id: '.merge-b', title: 'Merge: b', after: ['b'], tags: ['merge'] },
    { id: '.evaluate-b', title: 'Evaluate b', after: ['b'] },
    { id: 'c', title: 'Use the parser', after: ['b'] },
  ]);
});
afterEach(() => p.remove());

describe('an unmerged .merge-X is shown where people look', () => {
  it('in wg list (not upstream’s bookkeeping), until it is done', async () => {
    const ids = async () => (await p.json<TaskSummary[]>(['list'])).map((t) => t.id);
    expect(await ids()).toEqual(['b', '.merge-b', 'c']);
    await p.ok(['done', '.merge-b']);
    expect(await ids()).toEqual(['b', 'c']);
  });

  it('in wg status, under Needs you, and counted with the tasks', async () => {
    const report = await p.json<StatusReport>(['status']);
    expect(report.needs_you).toEqual([
      {
        task_id: '.merge-b',
        title: 'Merge: b',
        kind: 'merge',
        label: 'done; not merged',
        todo: 'merge its work, then finish it (`wg show .merge-b` says how)',
      },
    ]);
    expect(await p.ok(['status'])).toContain(
      'Needs you: 1 task(s) only a person can move on:\n  .merge-b  Merge: b: done; not merged\n            merge its work, then finish it (`wg show .merge-b` says how)',
    );
    await p.ok(['done', '.merge-b']);
    expect((await p.json<StatusReport>(['status'])).needs_you).toBeUndefined();
    expect(await p.ok(['status'])).not.toContain('Needs you');
  });
});
