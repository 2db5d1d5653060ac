import type { WgClient } from '../../shared/client';
import type { Task, TaskStatus } from '../../shared/task';

/**
 * What the tasks after a done task can be while its done is still the last thing that happened to them: waiting for
 * it, or started (or about to be) because it was done. Anything else (finished, failed, abandoned, awaiting a
 * score) was decided on its own, and a reopen must not undo it.
 */
const UNDONE_BY_REOPEN: readonly TaskStatus[] = ['open', 'in-progress', 'waiting', 'blocked'];

/**
 * Puts a done task back as it was before it was done: open, so that it is started again, and the tasks after it
 * waiting for it again. The operation is `wg reset` seeded at the task, forward: `wg retry` and `wg incomplete`
 * refuse a done task (retry reopens only failed, abandoned, incomplete or running ones; incomplete counts an attempt
 * and may fail it), and reset is the one that opens a done task, clearing its completion. Forward, because it also
 * resets what is downstream of the task (backward would reopen the finished work it depended on); so it is refused,
 * with the reason, when a task downstream has a state of its own that the reset would wipe; and where an agent has
 * started on a task after it since, the person is asked first, as Stop agent asks (and always, from the Reopen button:
 * it wipes a finished task's completion and sets an agent on it again). Returns the refusal's reason, or
 * null once reopened (or kept, when the person said no).
 */
export async function reopenDone(
  client: WgClient,
  id: string,
  tasks: ReadonlyMap<string, Task>,
  /**
   * Asked before the reopen when `always`, else only when it would stop agents already working on tasks after it:
   * `running` their titles (the reset puts them back to waiting, and their runs end with what they have not saved
   * lost), `after` how many tasks after it wait for it again. False keeps everything as it is.
   */
  ask: (what: { running: readonly string[]; after: number }) => Promise<boolean>,
  always = false,
): Promise<string | null> {
  const status = tasks.get(id)?.status;
  if (status !== 'done') return `It is ${status ?? 'gone'} now, not done: nothing to reopen.`;
  const plan = await client['task:reset']({ seed: id, dryRun: true });
  const decided = plan.closure.filter((other) => {
    const status = tasks.get(other)?.status;
    return other !== id && status !== undefined && !UNDONE_BY_REOPEN.includes(status);
  });
  if (decided.length > 0) {
    const first = tasks.get(decided[0] as string)?.title ?? decided[0];
    const more = decided.length > 1 ? ` and ${decided.length - 1} more` : '';
    return `Reopening it would reopen “${first}”${more} after it, which ${decided.length > 1 ? 'have' : 'has'} finished or stopped on ${decided.length > 1 ? 'their' : 'its'} own. Use wg reset from the command line to choose.`;
  }
  const running = plan.closure.filter((other) => other !== id && tasks.get(other)?.status === 'in-progress');
  const asked = { running: running.map((other) => tasks.get(other)?.title ?? other), after: plan.closure.length - 1 };
  if ((always || running.length > 0) && !(await ask(asked))) return null;
  await client['task:reset']({ seed: id, yes: plan.closure.length > 1 });
  return null;
}
