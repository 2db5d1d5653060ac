import { betterRank, rankedMatches, textMatcher } from '../components/text-match';
import type { Task } from '../../shared/task';
import type { StateKind, TaskState } from '../task-state/task-state';

/** Which tasks the graph shows (and lays out): by state and tag. Search finds; it does not hide. */
export interface GraphFilter {
  /** States to show; empty shows all. */
  states: ReadonlySet<StateKind>;
  /** Tag to show; '' shows all. */
  tag: string;
  /** Only a task and what is up to `steps` dependencies before or after it (the rest hidden). */
  focus?: { id: string; steps: number } | null;
  /** Done and abandoned tasks left out: a big plan's finished work out of the way. */
  hideFinished?: boolean;
  /** Only these tasks, laid out by themselves: what the view frames (the work, a state's tasks) when it lies far apart. */
  lens?: Lens | null;
}

/** A lens: tasks a view frames and their neighbours, most urgent first (its grid reads so). */
interface Lens {
  /** Changes exactly when its tasks or grid do. */
  key: string;
  ids: readonly string[];
  /** What it shows, in words ("the work", "failed tasks"). */
  about: string;
  /** Which framing asked for it: the work (W), or a state chip's kind. */
  of: string;
  gridColumns: number;
}

export const NO_FILTER: GraphFilter = { states: new Set(), tag: '' };

export function isFiltering(filter: GraphFilter): boolean {
  return filter.states.size > 0 || filter.tag !== '' || !!filter.focus || !!filter.hideFinished || !!filter.lens;
}

/** A string that changes exactly when the filter does (the layout is keyed on it). */
export function filterKey(filter: GraphFilter): string {
  return `${[...filter.states].sort().join(',')}|${filter.tag}|${filter.focus ? `${filter.focus.id}±${filter.focus.steps}` : ''}|${filter.hideFinished ? 'hide-finished' : ''}|${filter.lens?.key ?? ''}`;
}

/**
 * The person's own choices of `filter`: the states, tag and finished work they chose (in the toolbar, shared with
 * the board), without what a view framed (a focus, a lens). The work and a chip's tasks are framed within them.
 */
function ownFilter(filter: GraphFilter): GraphFilter {
  return { states: filter.states, tag: filter.tag, hideFinished: filter.hideFinished };
}

/**
 * The lens filter of a view's request, within the person's own choices (`current`'s states, tag and finished
 * work hidden: switching to the graph or pressing W must not undo what they picked); a focus gives way to it.
 */
export function lensFilter(
  request: { ids: readonly string[]; about: string; of: string; gridColumns: number },
  current: GraphFilter = NO_FILTER,
): GraphFilter {
  const key = `${request.of}:${request.gridColumns}:${request.ids.length}:${idsHash(request.ids)}`;
  return { ...ownFilter(current), lens: { key, ids: request.ids, about: request.about, of: request.of, gridColumns: request.gridColumns } };
}

/**
 * The lens shown, following what it frames (the work, a state's tasks) as the tasks change: its tasks now,
 * under the same key, so that the layout keeps the cards that stay where they are (a new key lays it out
 * afresh) and the view is not fitted again. The same filter when the lens is another framing's, or
 * holds those tasks already.
 */
export function followedLens(filter: GraphFilter, of: string, ids: readonly string[], about: string): GraphFilter {
  const lens = filter.lens;
  if (!lens || lens.of !== of) return filter;
  if (lens.about === about && sameMembers(lens.ids, ids)) return filter;
  return { ...filter, lens: { ...lens, ids, about } };
}

/**
 * The filter widened just enough to show task `id` (a link, a notice's Show, a search result asked for it):
 * a lens that leaves it out gives way to the person's own filter, and of that only what hides the task
 * goes (its tag, finished work hidden, a state, a focus elsewhere); the rest stays. The same filter when
 * it shows the task already.
 */
export function widenedFor(filter: GraphFilter, id: string, tasks: ReadonlyMap<string, Task>, state: TaskState | undefined): GraphFilter {
  const task = tasks.get(id);
  if (!task) return filter;
  const next: GraphFilter = { ...filter };
  let changed = false;
  if (filter.lens && !filter.lens.ids.includes(id)) {
    next.lens = null;
    changed = true;
  }
  if (filter.focus && !neighbourhood(tasks, filter.focus.id, filter.focus.steps).has(id)) {
    next.focus = null;
    changed = true;
  }
  if (filter.states.size > 0 && (!state || !filter.states.has(state.kind))) {
    next.states = new Set();
    changed = true;
  }
  if (filter.tag && !task.tags.includes(filter.tag)) {
    next.tag = '';
    changed = true;
  }
  if (filter.hideFinished && (state?.kind === 'done' || state?.kind === 'abandoned')) {
    next.hideFinished = false;
    changed = true;
  }
  return changed ? next : filter;
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** A short hash of a list of ids, in their order (a filter's key names its tasks by it). */
export function idsHash(ids: Iterable<string>): string {
  let hash = 0;
  for (const id of ids) for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return (hash >>> 0).toString(36);
}

/**
 * A task and every task up to `steps` dependency links before or after it (breadth first, with
 * a queue: a long chain cannot overflow the stack).
 */
export function neighbourhood(tasks: ReadonlyMap<string, Task>, id: string, steps: number): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const task of tasks.values()) {
    for (const dependency of task.after) {
      const list = dependents.get(dependency);
      if (list) list.push(task.id);
      else dependents.set(dependency, [task.id]);
    }
  }
  const near = new Set<string>();
  if (!tasks.has(id)) return near;
  for (const direction of ['up', 'down'] as const) {
    let frontier = [id];
    near.add(id);
    for (let step = 0; step < steps && frontier.length > 0; step++) {
      const next: string[] = [];
      for (const current of frontier) {
        const links = direction === 'up' ? (tasks.get(current)?.after ?? []) : (dependents.get(current) ?? []);
        for (const other of links) {
          if (!tasks.has(other) || near.has(other)) continue;
          near.add(other);
          next.push(other);
        }
      }
      frontier = next;
    }
  }
  return near;
}

export function matchesFilter(task: Task, state: TaskState | undefined, filter: GraphFilter): boolean {
  if (filter.states.size > 0 && (!state || !filter.states.has(state.kind))) return false;
  if (filter.hideFinished && (state?.kind === 'done' || state?.kind === 'abandoned')) return false;
  if (filter.tag && !task.tags.includes(filter.tag)) return false;
  return true;
}

/**
 * Tasks whose title or id the text finds (textMatcher: words by their starts, case and punctuation aside), the best
 * matches first (a task's whole title or id before the tasks that merely share its words), then in graph order; at most
 * `limit`, none of `leftOut` (not shown).
 */
export function searchTasks(
  tasks: Iterable<Task>,
  text: string,
  limit: number,
  leftOut?: ReadonlySet<string>,
): { matches: Task[]; total: number } {
  const finds = textMatcher(text);
  if (!finds) return { matches: [], total: 0 };
  return rankedMatches(tasks, (task) => (leftOut?.has(task.id) ? null : betterRank(finds(task.title), finds(task.id))), limit);
}
