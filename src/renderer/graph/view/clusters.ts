import type { Task } from '../../../shared/task';
import { STATE_KINDS, type StateKind, type TaskState } from '../../task-state/task-state';
import { SINGLES } from '../layout/layout-graph';
import type { LayoutGroup } from '../layout/layout-types';

export type StateCounts = Record<StateKind, number>;

/**
 * A name for each group shown as a cluster: the tag most of its tasks share, else the title of its
 * first task and how many more there are.
 */
export function clusterNames(groups: readonly LayoutGroup[], tasks: ReadonlyMap<string, Task>): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of groups) {
    if (group.anchor === SINGLES) {
      names.set(group.anchor, `Tasks without dependencies (${group.ids.length})`);
      continue;
    }
    const tags = new Map<string, number>();
    for (const id of group.ids) for (const tag of tasks.get(id)?.tags ?? []) tags.set(tag, (tags.get(tag) ?? 0) + 1);
    let best: [string, number] | null = null;
    for (const entry of tags) if (!best || entry[1] > best[1]) best = entry;
    if (best && best[1] * 2 >= group.ids.length) {
      names.set(group.anchor, `${best[0]} (${group.ids.length})`);
      continue;
    }
    const first = tasks.get(group.anchor);
    names.set(group.anchor, `${first?.title ?? group.anchor}${group.ids.length > 1 ? ` +${group.ids.length - 1}` : ''}`);
  }
  return names;
}

export function clusterCounts(groups: readonly LayoutGroup[], states: ReadonlyMap<string, TaskState>): Map<string, StateCounts> {
  const counts = new Map<string, StateCounts>();
  for (const group of groups) {
    const entry = Object.fromEntries(STATE_KINDS.map((kind) => [kind, 0])) as StateCounts;
    for (const id of group.ids) {
      const state = states.get(id);
      if (state) entry[state.kind]++;
    }
    counts.set(group.anchor, entry);
  }
  return counts;
}

/** "3 running · 1 failed · 40 done": the states present, most urgent first. */
export function countsText(counts: StateCounts): string {
  return STATE_KINDS.filter((kind) => counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${kind === 'needs-you' ? 'need you' : kind}`)
    .join(' · ');
}
