import { neverDue, type Steps, toEnd } from './steps';
import { isSystemTaskId, statusLetsGo, TERMINAL_STATUSES, type TaskSummary } from './task';

/**
 * What holds an open task back, in the words the window's cards and `wg show` both use: one rule
 * for both (the window reads the graph it holds, `wg show` the store, one task at a time).
 */

/**
 * Where tasks are looked up by id: the window's Map of the graph, or the store read on demand. A hold is found from
 * what a list item has of a task (its status, dependencies, worktree and title), never its log or long fields.
 */
export interface TaskLookup {
  get(id: string): TaskSummary | undefined;
}

/** Marked done as its agent worked, with that work still to merge when the run ends (readiness.ts workToMerge). */
export const workToMerge = (task: TaskSummary): boolean =>
  task.status === 'done' && task.worktree?.merge_at_end === true && task.worktree.state === 'active';

/**
 * Dependencies that do not yet let the task start, in the order they were given, by upstream's
 * rules (src/core/graph/readiness.ts states them for the store): a dependency not in the graph
 * holds the task; done or abandoned lets it go, except while the dependency's evaluation
 * (`.evaluate-<id>`) is unfinished, or its agent's work is still to merge; a system task (`.x`) may follow one
 * awaiting evaluation, and `.evaluate-X` a failed X. An edge closing one of upstream's loops (`loop_back`) holds
 * nothing, as the store's readiness counts it (its blockers leave loose_deps out).
 */
function unfinished(task: TaskSummary, tasks: TaskLookup): string[] {
  const system = isSystemTaskId(task.id);
  const blockers: string[] = [];
  for (const id of task.after) {
    const dependency = tasks.get(id);
    if (dependency && task.loop_back.includes(id)) continue;
    if (!dependency) {
      blockers.push(id);
      continue;
    }
    if (!statusLetsGo(dependency.status, id, task.id) || workToMerge(dependency)) {
      blockers.push(id);
      continue;
    }
    if (system || isSystemTaskId(id)) continue;
    const evaluation = tasks.get(`.evaluate-${id}`);
    if (evaluation && !TERMINAL_STATUSES.includes(evaluation.status)) blockers.push(evaluation.id);
  }
  return blockers;
}

/** What an earlier walk settled: tasks not to enter again (nothing upstream of them changed), and their roots. */
export interface KnownRoots {
  settled(id: string): boolean;
  roots: ReadonlyMap<string, string>;
}

/**
 * For every open task reached from `starts` that a failed task holds for good, that failed task: a
 * failed dependency, or the root of a dependency that is itself held by one (the first found, in
 * the order of the dependencies). Only what lies upstream of the starts is read, and not past a
 * task `known` has settled (its root taken from there). Iterative (no
 * recursion: a 50,000-task chain must not overflow the stack); a loop of open tasks with no
 * failure in it holds nothing. `blockers`, when given, gets each entered task's unfinished
 * dependencies (what holdOf reads next, not read twice).
 */
export function failedUpstream(
  starts: Iterable<TaskSummary>,
  tasks: TaskLookup,
  known?: KnownRoots,
  blockers?: Map<string, readonly string[]>,
): Map<string, string> {
  return toEnd(failedUpstreamSteps(starts, tasks, known, blockers, neverDue));
}

/**
 * failedUpstream as steps (shared/steps.ts): the same walk, pausing where `due` says so (between two tasks entered),
 * for the window, which works out the states of a plan of 50,000 tasks in time slices.
 */
export function* failedUpstreamSteps(
  starts: Iterable<TaskSummary>,
  tasks: TaskLookup,
  known: KnownRoots | undefined,
  blockers: Map<string, readonly string[]> | undefined,
  due: () => boolean,
): Steps<Map<string, string>> {
  const roots = new Map<string, string>();
  // 1: on the stack, 2: settled.
  const seen = new Map<string, 1 | 2>();
  const rootOf = (id: string) => roots.get(id) ?? known?.roots.get(id);
  const enter = (task: TaskSummary) => {
    const list = unfinished(task, tasks);
    blockers?.set(task.id, list);
    return { task, blockers: list, next: 0 };
  };
  for (const start of starts) {
    if (due()) yield;
    if (seen.has(start.id) || !isOpen(start)) continue;
    const stack: Array<{ task: TaskSummary; blockers: readonly string[]; next: number }> = [enter(start)];
    seen.set(start.id, 1);
    while (stack.length > 0) {
      if (due()) yield;
      const frame = stack[stack.length - 1] as (typeof stack)[number];
      if (frame.next < frame.blockers.length && !roots.has(frame.task.id)) {
        const id = frame.blockers[frame.next++] as string;
        const dependency = tasks.get(id);
        if (!dependency) continue;
        if (dependency.status === 'failed') {
          roots.set(frame.task.id, dependency.id);
          continue;
        }
        if (!isOpen(dependency)) continue;
        const state = seen.get(id) ?? (known?.settled(id) ? 2 : undefined);
        if (state === 2) {
          const root = rootOf(id);
          if (root !== undefined) roots.set(frame.task.id, root);
          continue;
        }
        if (state === 1) continue; // a loop: nothing new down this way
        seen.set(id, 1);
        stack.push(enter(dependency));
        continue;
      }
      stack.pop();
      seen.set(frame.task.id, 2);
      const parent = stack[stack.length - 1];
      const root = roots.get(frame.task.id);
      if (parent && root !== undefined && !roots.has(parent.task.id)) roots.set(parent.task.id, root);
    }
  }
  return roots;
}

/** Open (or marked blocked) and not paused by hand: a task that waits for what is before it. */
const isOpen = (task: TaskSummary) => task.status === 'open' || task.status === 'incomplete' || task.status === 'blocked';

/** What holds an open task back: its unfinished dependencies, and the failed tasks upstream among or behind them. */
export interface Hold {
  /** Its dependencies that do not yet let it start, in the order they were given (unfinished). */
  blockers: readonly string[];
  /** The failed tasks that hold it for good through them, each once, in the order found. */
  failed: readonly string[];
}

/**
 * What the task's dependencies hold it by, or null when none does. `roots`: failedUpstream over
 * the graph, when already worked out; `blockers`: its unfinished dependencies, when already read.
 */
export function holdOf(
  task: TaskSummary,
  tasks: TaskLookup,
  roots?: ReadonlyMap<string, string>,
  blockers: readonly string[] = unfinished(task, tasks),
): Hold | null {
  if (blockers.length === 0) return null;
  const known =
    roots ??
    failedUpstream(
      blockers.map((id) => tasks.get(id)).filter((dependency): dependency is TaskSummary => dependency !== undefined),
      tasks,
    );
  const failed: string[] = [];
  for (const id of blockers) {
    const root = tasks.get(id)?.status === 'failed' ? id : known.get(id);
    if (root !== undefined && !failed.includes(root)) failed.push(root);
  }
  return { blockers, failed };
}

/**
 * A hold in words: "blocked by failed Migrate the data (+1 more failed)" when a failed task
 * upstream holds it for good (it never starts by itself: the first thing to say, not "waiting on"
 * a task that is itself stuck; the count is of the other failed tasks holding it), else "waiting
 * on Design the schema (+2 more)" (the count is of the other dependencies it waits on).
 */
export function holdWords({ blockers, failed }: Hold, tasks: TaskLookup): string {
  const title = (id: string) => tasks.get(id)?.title ?? `${id} (not in the graph)`;
  const [first] = failed;
  if (first !== undefined) return `blocked by failed ${title(first)}${failed.length > 1 ? ` (+${failed.length - 1} more failed)` : ''}`;
  const more = blockers.length > 1 ? ` (+${blockers.length - 1} more)` : '';
  const next = blockers[0] as string;
  const dependency = tasks.get(next);
  // Done already, yet its agent's work is not on the base branch: "waiting on" a done task would read as a fault.
  if (dependency && workToMerge(dependency)) return `waiting for the work of ${title(next)} to be merged${more}`;
  return `waiting on ${title(next)}${more}`;
}

/** What the task's dependencies hold it by, in words (holdWords), or null when none does. */
export function dependencyHold(task: TaskSummary, tasks: TaskLookup, roots?: ReadonlyMap<string, string>): string | null {
  const hold = holdOf(task, tasks, roots);
  return hold && holdWords(hold, tasks);
}
