import { useCallback } from 'react';
import { SATISFYING_STATUSES, type Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useToasts, type Toast } from '../notifications/toasts';
import { useGraphRefresh, useGraphStore } from '../state/graph-context';

export interface DependencyLink {
  /** The dependency: the node the drag started from (its right-hand, source handle). */
  source: string;
  /** The dependent: the node the drag ended on (its left-hand, target handle). */
  target: string;
}

type Notice = Omit<Toast, 'id'>;
type Tasks = ReadonlyMap<string, Task>;

/** One refusal at a time: a second drag refused replaces the first notice rather than stacking under it. */
const REFUSAL_KEY = 'dependency-refusal';
/** A chain of more tasks than this is shown by its ends: the notice is a sentence, not the graph. */
const MOST_IN_CHAIN = 5;

/**
 * Editing dependencies from the canvas. Dragging from A to B means "B depends on A"
 * (`task:addDep({task: B, dependency: A})`), matching the left-to-right layout where
 * dependencies sit left of their dependents. What came of an edit is said in a notice (a toast, as the
 * graph's other notices, not a bar that shifts the canvas until dismissed): an added dependency with Undo,
 * what it means for a task already running or done, and a refusal in the tasks' titles.
 * Each call resolves with whether it went through (the page offers Undo after a removal).
 */
export function useDependencyEditing() {
  const client = useClient();
  const refresh = useGraphRefresh();
  const graph = useGraphStore();
  const toasts = useToasts();

  const unlink = useCallback(
    async (links: readonly DependencyLink[]) => {
      try {
        for (const { source, target } of links) await client['task:rmDep']({ task: target, dependency: source });
        await refresh();
        return true;
      } catch (failure) {
        toasts.push({ tone: 'error', title: 'Could not remove the dependency', body: errorMessage(failure), key: REFUSAL_KEY });
        return false;
      }
    },
    [client, refresh, toasts],
  );

  /** `restoring`: an Undo of a removal puts it back; only what it means beyond that (a running or done task) is said. */
  const link = useCallback(
    async (made: DependencyLink, options: { restoring?: boolean } = {}) => {
      // The graph as it is when the link is made: an Undo of a removal runs later than the removal it undoes.
      const tasks = graph.getState().tasks;
      if (tasks.get(made.target)?.after.includes(made.source)) {
        // The store would take it as a no-op, as upstream's `wg add-dep` ("already depends on — no change"): said, not silent.
        toasts.push({
          tone: 'info',
          title: 'Already there',
          body: `${quoted(tasks, made.target)} already depends on ${quoted(tasks, made.source)}: nothing changed.`,
          key: REFUSAL_KEY,
        });
        return false;
      }
      try {
        await client['task:addDep']({ task: made.target, dependency: made.source });
        await refresh();
      } catch (failure) {
        toasts.push(refusal(failure, made, tasks));
        return false;
      }
      const notice = addedNotice(made, tasks);
      if (options.restoring) {
        // An Undo with an Undo of its own would flip the edge back and forth on a second Ctrl+Z.
        if (!notice.plain) toasts.push({ tone: 'info', title: notice.title, body: notice.body });
        return true;
      }
      // Undo takes that dependency away again, quietly: the notice it came from goes with it.
      toasts.pushUndo(notice.title, () => void unlink([made]), notice.body);
      return true;
    },
    [client, refresh, graph, toasts, unlink],
  );

  return { link, unlink };
}

const titleOf = (tasks: Tasks, id: string): string => tasks.get(id)?.title ?? id;
const quoted = (tasks: Tasks, id: string): string => `“${titleOf(tasks, id)}”`;

/** What an added dependency means, as the title and body of its notice; `plain`: no more than that it was added. */
function addedNotice({ source, target }: DependencyLink, tasks: Tasks): { title: string; body: string; plain: boolean } {
  const dependent = tasks.get(target);
  const dependency = tasks.get(source);
  const waitsNow = dependency !== undefined && !SATISFYING_STATUSES.includes(dependency.status);
  // A dependency given to a task that already runs holds its next start, not this run: said, not left for a person to
  // infer from a card that goes on running (also when an Undo puts back a dependency its task started without).
  if (dependent?.status === 'in-progress' && waitsNow)
    return {
      title: `“${dependent.title}” is already running`,
      body: `It now waits for “${dependency.title}” too, but its run goes on: the dependency holds it from its next start (stop its agent to wait now).`,
      plain: false,
    };
  // A done task keeps its status, as upstream's `wg add-dep` and `wg edit --add-after` keep it (nothing there reopens
  // it, and retry takes failed or abandoned tasks only): a card still "done" after the drag is explained, not a puzzle.
  if (dependent?.status === 'done' && waitsNow)
    return {
      title: `“${dependent.title}” is already done`,
      body: `It now depends on “${dependency.title}”, but it will not run again for it: a done task stays done.`,
      plain: false,
    };
  return { title: 'Added a dependency', body: `${quoted(tasks, target)} now waits for ${quoted(tasks, source)}.`, plain: true };
}

/** Why a dependency was not added, for its notice: a loop in the tasks' titles, anything else verbatim. */
function refusal(failure: unknown, { source, target }: DependencyLink, tasks: Tasks): Notice {
  const notice = { tone: 'error', key: REFUSAL_KEY } as const;
  if (codeOf(failure) !== 'cycle') return { ...notice, title: 'Could not add the dependency', body: errorMessage(failure) };
  if (source === target) return { ...notice, title: 'Not added: a task cannot wait for itself' };
  const chain = chainOf(source, target, tasks);
  // The window's graph may be behind the store (a change on its way): the store's own words then.
  if (!chain) return { ...notice, title: 'Not added: that would make a loop', body: errorMessage(failure) };
  return {
    ...notice,
    title: `Not added: ${quoted(tasks, source)} already waits for ${quoted(tasks, target)}`,
    body: `${shown(chain.map((id) => titleOf(tasks, id)))}: ${quoted(tasks, target)} cannot also wait for ${quoted(tasks, source)}, or each would wait for the other.`,
  };
}

/** The error code of a refused op: an OpError or WgError's `code`, or the `{error, code}` the preload rejects with. */
function codeOf(failure: unknown): string | null {
  if (typeof failure !== 'object' || failure === null || !('code' in failure)) return null;
  return typeof failure.code === 'string' ? failure.code : null;
}

/**
 * How `source` already waits for `target`: the shortest chain from `target` to `source`, in the direction of the
 * graph's arrows (dependency → dependent); null when the window's graph has none.
 */
function chainOf(source: string, target: string, tasks: Tasks): string[] | null {
  // Breadth-first from `source` through what it depends on, back to `target`.
  const cameFrom = new Map<string, string | null>([[source, null]]);
  const queue = [source];
  for (let at = 0; at < queue.length; at++) {
    const id = queue[at] as string;
    if (id === target) {
      const chain: string[] = [];
      for (let step: string | null = id; step !== null; step = cameFrom.get(step) ?? null) chain.push(step);
      return chain;
    }
    for (const dependency of tasks.get(id)?.after ?? []) {
      if (cameFrom.has(dependency)) continue;
      cameFrom.set(dependency, id);
      queue.push(dependency);
    }
  }
  return null;
}

/** A chain of titles joined by arrows; a long one by its first two and last two. */
function shown(titles: readonly string[]): string {
  if (titles.length <= MOST_IN_CHAIN) return titles.join(' → ');
  const left = titles.length - 4;
  return [...titles.slice(0, 2), `… ${left} more …`, ...titles.slice(-2)].join(' → ');
}
