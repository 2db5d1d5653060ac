import type { Task } from '../../../shared/task';
import { STATE_KINDS, type StateKind, type TaskState } from '../../task-state/task-state';
import { SINGLES } from '../layout/layout-graph';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, LayoutGroup, LayoutPositions, XY } from '../layout/layout-types';
import { boxAround } from './viewport-math';

export type StateCounts = Record<StateKind, number>;

/** What the clusters at low zoom stand for: the graph's connected parts, or its tags. */
export type ClusterGrouping = 'connected' | 'tag';
export const CLUSTER_GROUPINGS: readonly ClusterGrouping[] = ['connected', 'tag'];
/** The cluster of tasks without a tag (tag clusters are anchored on `tag:<name>`). */
export const UNTAGGED = 'untagged:';
const TAG_PREFIX = 'tag:';

/**
 * A name for each group shown as a cluster: a tag cluster's tag; for a connected part, the tag most
 * of its tasks share, else the title of its first task and how many more there are.
 */
export function clusterNames(groups: readonly LayoutGroup[], tasks: ReadonlyMap<string, Task>): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of groups) {
    if (group.anchor === SINGLES) {
      names.set(group.anchor, `Tasks without dependencies (${group.ids.length})`);
      continue;
    }
    if (group.anchor === UNTAGGED || group.anchor.startsWith(TAG_PREFIX)) {
      names.set(group.anchor, `${group.anchor === UNTAGGED ? 'untagged' : group.anchor.slice(TAG_PREFIX.length)} (${group.ids.length})`);
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


/**
 * One cluster per tag, over the tasks laid out (a task with several tags goes to its first, one
 * with none to the untagged cluster), placed on the box its tasks cover. Boxes may overlap: they
 * come largest first, so a smaller one is drawn over (and clicked before) a larger one.
 */
export function tagClusters(groups: readonly LayoutGroup[], positions: LayoutPositions, tasks: ReadonlyMap<string, Task>): LayoutGroup[] {
  const byTag = new Map<string, { ids: string[]; boxes: Box[]; pending: boolean }>();
  for (const group of groups) {
    for (const id of group.ids) {
      const tag = tasks.get(id)?.tags[0];
      const anchor = tag === undefined ? UNTAGGED : `${TAG_PREFIX}${tag}`;
      const entry = byTag.get(anchor) ?? { ids: [], boxes: [], pending: false };
      byTag.set(anchor, entry);
      entry.ids.push(id);
      const p = positions[id];
      // A task not laid out yet stands in with its group's estimated box.
      if (p) entry.boxes.push({ x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT });
      else {
        entry.boxes.push(group.box);
        entry.pending = true;
      }
    }
  }
  return [...byTag]
    .map(([anchor, { ids, boxes, pending }]) => ({ anchor, ids, pending, box: union(boxes) }))
    .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height || a.anchor.localeCompare(b.anchor));
}

/** The box around boxes (a cluster always has at least one). */
function union(boxes: readonly Box[]): Box {
  const corners = boxes.flatMap((b) => [b, { x: b.x + b.width, y: b.y + b.height }]);
  return boxAround(corners, { width: 0, height: 0 }) ?? { x: 0, y: 0, width: 0, height: 0 };
}

/** The cluster under a point: the last drawn (smallest) of those whose box holds it. */
export function clusterAt(clusters: readonly LayoutGroup[], at: XY): LayoutGroup | undefined {
  return clusters.findLast(({ box }) => at.x >= box.x && at.x <= box.x + box.width && at.y >= box.y && at.y <= box.y + box.height);
}
