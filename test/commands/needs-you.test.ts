import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusReport } from '../../src/shared/insight';
import type { Listed } from '../../src/shared/needs-you';
import type { TaskDetail, TaskSummary } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Issue 75: what only a person moves on is said alike by `wg status`, `wg list --needs-you` (and its marker) and
 * `wg show`, one task of each kind: a wait for a reply, an approval, a manual task ready, an evaluation nothing runs,
 * a failed task others wait on. Before, `wg status` counted the approval and the evaluation as in progress and the
 * manual task as ready, and listed only an unmerged `.merge-X` under Needs you.
 */
let p: InProcessProject;
const human = { wait_condition: { mode: 'all', conditions: [{ type: 'human-input' }] } };
beforeEach(async () => {
  p = new InProcessProject('wg-needs-you-');
  await p.ok(['init']);
  await p.importTasks([
    { id: 'ask', title: 'Ask which region', status: 'waiting', started_at: new Date().toISOString(), ...human },
    { id: 'review', title: 'Review the copy', status: 'pending-validation', tags: ['human-review'], validation: 'external' },
    { id: 'judged', title: 'Tune the cache', status: 'pending-eval' },
    { id: 'judged-upstream', title: 'Tune the index', status: 'pending-eval' },
    { id: '.evaluate-judged-upstream', title: 'Evaluate', after: ['judged-upstream'] },
    { id: 'notes', title: 'Write the notes', executor: 'manual' },
    { id: 'later-notes', title: 'Write more notes', executor: 'manual', after: ['notes'] },
    { id: 'broken', title: 'Build the image', status: 'failed', failure_reason: 'exit code 1' },
    { id: 'ship', title: 'Ship it', after: ['broken'] },
    { id: 'dead-end', title: 'An experiment', status: 'failed' },
    { id: 'run', title: 'Run it', status: 'in-progress' },
  ]);
});
afterEach(() => p.remove());

const EXPECTED = [
  ['ask', 'reply', 'waits for your reply'],
  ['review', 'approve', 'awaits your approval'],
  ['judged', 'evaluate', 'no evaluation will run'],
  ['notes', 'do', 'yours to do'],
  ['broken', 'unblock', 'failed; 1 task waits on it'],
];

describe('what needs a person', () => {
  it('is listed by wg status with what to do, and counted apart from the work under way', async () => {
    const report = await p.json<StatusReport>(['status']);
    expect(report.needs_you?.map((n) => [n.task_id, n.kind, n.label])).toEqual(EXPECTED);
    // In progress: `run`, and the evaluation upstream's `.evaluate-X` will make. The approval and the evaluation nothing
    // runs are the person's, not under way; the failed task is counted with the failed.
    expect(report.tasks).toMatchObject({ in_progress: 2, needs_you: 4 });
    const text = await p.ok(['status']);
    expect(text).toContain('Needs you: 5 task(s) only a person can move on:');
    expect(text).toContain('  review  Review the copy: awaits your approval\n');
    expect(text).toContain('approve its work (`wg approve review`) or reject it with what to change (`wg reject review --reason "…"`)');
    expect(text).toContain('`wg msg send ask "…"` replies and releases the wait');
  });

  it('is what wg list --needs-you lists, and marked in wg list', async () => {
    const listed = await p.json<Listed<TaskSummary>[]>(['list', '--needs-you']);
    expect(listed.map((t) => [t.id, t.needs_you?.kind, t.needs_you?.label])).toEqual(EXPECTED);
    const text = await p.ok(['list']);
    expect(text).toMatch(/notes +open +normal +Write the notes \[needs you: yours to do\]/);
    expect(text).toMatch(/later-notes +open +normal +Write more notes\n/);
    expect(text).toMatch(/dead-end +failed +normal +An experiment\n/);
  });

  it('is said by wg show, with what to do', async () => {
    const shown = await p.json<Listed<TaskDetail>>(['show', 'judged']);
    expect(shown.needs_you?.kind).toBe('evaluate');
    expect(await p.ok(['show', 'judged'])).toContain(
      'Needs you  no evaluation will run: evaluate it (`wg evaluate run judged`), record a score (`wg evaluate record --task judged --score 0.9`) or skip the evaluation (`wg approve judged`)',
    );
    // Upstream's `.evaluate-X` will score it: nothing to do.
    expect((await p.json<Listed<TaskDetail>>(['show', 'judged-upstream'])).needs_you).toBeUndefined();
    expect((await p.json<Listed<TaskDetail>>(['show', 'broken'])).needs_you?.label).toBe('failed; 1 task waits on it');
    expect((await p.json<Listed<TaskDetail>>(['show', 'run'])).needs_you).toBeUndefined();
  });

  it('leaves a stuck evaluation to the coordinator once auto_evaluate is on', async () => {
    await p.ok(['config', '--auto-evaluate', 'true']);
    const listed = await p.json<Listed<TaskSummary>[]>(['list', '--needs-you']);
    expect(listed.map((t) => t.id)).toEqual(['ask', 'review', 'notes', 'broken']);
  });

  it('a reply releases the wait at once, with no coordinator running, and the task needs nobody then', async () => {
    const sent = await p.wg(['msg', 'send', 'ask', 'Use eu-west-1']);
    expect(sent.exitCode).toBe(0);
    expect(sent.stderr).toContain("'ask' waited for this: it is open again, and starts when the coordinator runs");
    const shown = await p.json<Listed<TaskDetail>>(['show', 'ask']);
    expect(shown.status).toBe('open');
    expect(shown.needs_you).toBeUndefined();
    expect(shown.log.at(-1)?.message).toBe('Wait condition satisfied. Task ready for resume.');
  });

  it('goes once the person acts: approve, done, retry', async () => {
    await p.ok(['approve', 'review']);
    await p.ok(['done', 'notes']);
    await p.ok(['retry', 'broken']);
    const listed = await p.json<Listed<TaskSummary>[]>(['list', '--needs-you']);
    // Done, notes lets its follow-up go: the person's next task.
    expect(listed.map((t) => t.id)).toEqual(['ask', 'judged', 'later-notes']);
  });
});
