import type { StateKind, TaskState } from '../../task-state/task-state';
import type { LayoutGroup } from '../layout/layout-types';

/**
 * What a cluster box lists under its counts at Fit: its tasks a person acts on, by name, most urgent first (those that
 * need them, failed, run, are being evaluated), so a plan's picture says which tasks, not only how many. The tasks a
 * failure holds are counted, not named: the failure is the one to name.
 */
const ORDER: ReadonlyArray<StateKind> = ['needs-you', 'failed', 'running', 'evaluating'];
const RANK = new Map(ORDER.map((kind, index) => [kind, index]));

/** At most this many are kept per cluster (more than any box has lines for). */
const MOST = 12;

export interface ClusterWork {
  /** The first MOST of the cluster's tasks a person acts on, most urgent first (in the graph's order within a kind). */
  ids: string[];
  /** How many there are in all. */
  total: number;
}

/**
 * The cluster's tasks to name, kept per cluster while its tasks and the states are the same objects (a box is drawn on
 * every frame of a pan; the list is worked out once per change).
 */
export class ClusterWorkLists {
  private states: ReadonlyMap<string, TaskState> | null = null;
  private lists = new WeakMap<readonly string[], ClusterWork>();

  of(group: LayoutGroup, states: ReadonlyMap<string, TaskState>): ClusterWork {
    if (states !== this.states) {
      this.states = states;
      this.lists = new WeakMap();
    }
    const known = this.lists.get(group.ids);
    if (known) return known;
    const work = clusterWork(group.ids, states);
    this.lists.set(group.ids, work);
    return work;
  }
}

/** The tasks of `ids` a person acts on, most urgent first, at most MOST of them, and how many there are. */
export function clusterWork(ids: readonly string[], states: ReadonlyMap<string, TaskState>): ClusterWork {
  const byKind: string[][] = ORDER.map(() => []);
  let total = 0;
  for (const id of ids) {
    const rank = RANK.get(states.get(id)?.kind as StateKind);
    if (rank === undefined) continue;
    total++;
    const list = byKind[rank] as string[];
    if (list.length < MOST) list.push(id);
  }
  return { ids: byKind.flat().slice(0, MOST), total };
}
