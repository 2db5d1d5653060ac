import { SATISFYING_STATUSES, TERMINAL_STATUSES, type Task } from './task';

/** The part of a task the end-of-work decision looks at. */
export type WorkEndTask = Pick<Task, 'id' | 'status' | 'paused' | 'after'>;

/** What to say when nothing is left that will happen by itself: all of it finished, or stopped short. */
export interface WorkEnd {
  kind: 'all-done' | 'work-stopped';
  title: string;
  body: string;
}

/** Each graph's answer, asked of it twice by the window: as the graph after a change, then as the one before the next. */
const answered = new WeakMap<ReadonlyMap<string, WorkEndTask>, boolean>();

/**
 * Whether anything is running or will run without the person stepping in: a task in progress or
 * awaiting evaluation, or an open, unpaused task whose dependencies are all satisfied or
 * themselves still on their way. Tasks waiting (even transitively) on a failed or paused task
 * are not work left: they will not start by themselves. `tasks` by id: the graph's own map (a
 * 50,000-task plan's was copied into an array and a new map twice on each change the window heard of).
 */
export function hasWorkLeft(tasks: ReadonlyMap<string, WorkEndTask>): boolean {
  const known = answered.get(tasks);
  if (known !== undefined) return known;
  const memo = new Map<string, boolean>();
  const onItsWay = (id: string, visiting: Set<string>): boolean => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const task = tasks.get(id);
    if (!task || visiting.has(id)) return false; // unknown dependency or a cycle: stuck
    visiting.add(id);
    const result =
      task.status === 'in-progress' ||
      task.status === 'pending-eval' ||
      (task.status === 'open' && !task.paused && task.after.every((dep) => isSatisfied(tasks.get(dep)) || onItsWay(dep, visiting)));
    visiting.delete(id);
    memo.set(id, result);
    return result;
  };
  const left = anyKey(tasks, (id) => onItsWay(id, new Set()));
  answered.set(tasks, left);
  return left;
}

function isSatisfied(task: WorkEndTask | undefined): boolean {
  return task !== undefined && SATISFYING_STATUSES.includes(task.status);
}

/**
 * The one sentence the window's toast and the desktop notification both give once no work is left (hasWorkLeft):
 * "All work is done" only when every task is done or abandoned; else what stopped it ("Work has stopped: 1 failed,
 * 1 paused") and what would let it go on. Said alike in both places, so a person is not told two things at once.
 */
export function workEnd(tasks: readonly WorkEndTask[]): WorkEnd {
  let done = 0;
  let abandoned = 0;
  let failed = 0;
  let paused = 0;
  let waiting = 0;
  for (const task of tasks) {
    if (task.status === 'done') done++;
    else if (task.status === 'abandoned') abandoned++;
    else if (task.status === 'failed') failed++;
    else if (task.paused && !TERMINAL_STATUSES.includes(task.status)) paused++;
    else waiting++;
  }
  const finished = `${done} done${abandoned > 0 ? `, ${abandoned} abandoned` : ''}`;
  if (failed + paused + waiting === 0) return { kind: 'all-done', title: 'All work is done', body: finished };
  const stoppedBy = [counted(failed, 'failed'), counted(paused, 'paused'), counted(waiting, 'waiting')].filter(Boolean).join(', ');
  const until = [
    failed > 0 ? `the failed ${failed === 1 ? 'task is' : 'tasks are'} retried` : '',
    paused > 0 ? `the paused ${paused === 1 ? 'task is' : 'tasks are'} resumed` : '',
  ].filter(Boolean);
  const next = until.length > 0 ? until.join(' or ') : 'what the waiting tasks wait for happens';
  return {
    kind: 'work-stopped',
    title: `Work has stopped: ${stoppedBy}`,
    body: `${finished}. Nothing else starts by itself until ${next}.`,
  };
}

const counted = (n: number, word: string): string => (n > 0 ? `${n} ${word}` : '');

/** Whether `test` holds for a key of `map`, stopping at the first (no array of a 50,000-task plan's ids made first). */
function anyKey<K>(map: ReadonlyMap<K, unknown>, test: (key: K) => boolean): boolean {
  for (const key of map.keys()) if (test(key)) return true;
  return false;
}
