import type { Task } from '../../../shared/task';
import { STATE_KINDS, STATE_LABELS, type StateKind, type TaskState } from '../../task-state/task-state';
import { SINGLES } from '../layout/layout-graph';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, LayoutGroup, LayoutPositions, XY } from '../layout/layout-types';
import { placeNear } from './place-near';
import { boxAround } from './viewport-math';

export type StateCounts = Record<StateKind, number>;

/** What the clusters at low zoom stand for: the graph's connected parts, its tags, or its tasks' states. */
export type ClusterGrouping = 'connected' | 'tag' | 'state';
export const CLUSTER_GROUPINGS: readonly ClusterGrouping[] = ['connected', 'tag', 'state'];
/** The cluster of tasks without a tag (tag clusters are anchored on `tag:<name>`). */
export const UNTAGGED = 'untagged:';
const TAG_PREFIX = 'tag:';
/** State clusters are anchored on `state:<kind>`. */
const STATE_PREFIX = 'state:';

/**
 * A name for each group shown as a cluster: a tag cluster's tag; for a connected part, the tag most
 * of its tasks share, else the title of its first task and how many more there are.
 */
export function clusterNames(groups: readonly Cluster[], tasks: ReadonlyMap<string, Task>): Map<string, string> {
  const names = new Map<string, string>();
  for (const group of groups) {
    if (group.anchor.startsWith(STATE_PREFIX)) {
      const kind = group.anchor.slice(STATE_PREFIX.length) as StateKind;
      names.set(group.anchor, `${STATE_LABELS[kind] ?? kind} (${group.ids.length})`);
      continue;
    }
    if (group.anchor === SINGLES) {
      names.set(group.anchor, `Tasks without dependencies (${group.ids.length})`);
      continue;
    }
    if (group.anchor === UNTAGGED || group.anchor.startsWith(TAG_PREFIX)) {
      const shared = group.shared ?? 0;
      const also = shared > 0 ? `, ${shared} also in other tags` : '';
      names.set(
        group.anchor,
        `${group.anchor === UNTAGGED ? 'untagged' : group.anchor.slice(TAG_PREFIX.length)} (${group.ids.length}${also})`,
      );
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

/** "3 running", "1 failed", "40 done": the states present, most urgent first. */
export function countParts(counts: StateCounts): string[] {
  return STATE_KINDS.filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind]} ${kind === 'needs-you' ? 'need you' : kind}`);
}

/** "3 running · 1 failed · 40 done". */
export const countsText = (counts: StateCounts): string => countParts(counts).join(' · ');

/** A cluster on the canvas; a tag cluster opens onto the box its tasks cover, not the box it is drawn in. */
export interface Cluster extends LayoutGroup {
  opens?: Box;
  /** Of its tasks, how many are also in another tag's cluster. */
  shared?: number;
}

/** A tag cluster's box holds as much room per task as a card takes in the layout, and at least a label's. */
const ROOM_PER_TASK = Math.sqrt((CARD_WIDTH + 80) * (CARD_HEIGHT + 28));
const MIN_CLUSTER_WIDTH = 2400;

/**
 * One cluster per tag, over the tasks laid out (a task with several tags is in each of their
 * clusters, and each says how many of its tasks it shares; one with none is in the untagged
 * cluster). Tags cut across the layout, so the boxes their tasks cover overlap: each cluster is
 * drawn instead as a box sized by its count, as near the middle of its tasks as it can be
 * without overlapping another (in any direction, `placeNear`), and a click opens the box its
 * tasks cover.
 */
export function tagClusters(groups: readonly LayoutGroup[], positions: LayoutPositions, tasks: ReadonlyMap<string, Task>): Cluster[] {
  return keyedClusters(groups, positions, (id) => {
    const tags = tasks.get(id)?.tags ?? [];
    return tags.length === 0 ? [UNTAGGED] : [...new Set(tags)].map((tag) => `${TAG_PREFIX}${tag}`);
  });
}

/**
 * One cluster per state (running, failed, waiting, done…), each task in exactly one, drawn like tag
 * clusters (sized by count, near their tasks): with the links between them, the plan's progress as
 * a picture (issue 29 item 3).
 */
export function stateClusters(
  groups: readonly LayoutGroup[],
  positions: LayoutPositions,
  states: ReadonlyMap<string, TaskState>,
): Cluster[] {
  // A few states hold most tasks: the small ones (3 failed beside 1,156 waiting) kept big enough to name.
  return keyedClusters(groups, positions, (id) => [`${STATE_PREFIX}${states.get(id)?.kind ?? 'waiting'}`], 0.45);
}

/** Clusters keyed by what `keysOf` says of each task (a task in each of its keys' clusters). */
function keyedClusters(
  groups: readonly LayoutGroup[],
  positions: LayoutPositions,
  keysOf: (id: string) => string[],
  /** The smallest box's side as a share of the biggest's. */
  minShare = 0,
): Cluster[] {
  const byTag = new Map<string, { ids: string[]; boxes: Box[]; pending: boolean; shared: number }>();
  for (const group of groups) {
    for (const id of group.ids) {
      const keys = keysOf(id);
      const p = positions[id];
      // A task not laid out yet stands in with its group's estimated box.
      const box = p ? { x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT } : group.box;
      for (const anchor of keys) {
        const entry = byTag.get(anchor) ?? { ids: [], boxes: [], pending: false, shared: 0 };
        byTag.set(anchor, entry);
        entry.ids.push(id);
        entry.boxes.push(box);
        if (!p) entry.pending = true;
        if (keys.length > 1) entry.shared++;
      }
    }
  }
  const biggest = Math.max(0, ...[...byTag.values()].map((entry) => entry.ids.length));
  const floor = Math.max(MIN_CLUSTER_WIDTH, ROOM_PER_TASK * Math.sqrt(biggest) * 1.25 * minShare);
  const clusters = [...byTag]
    .map(([anchor, { ids, boxes, pending, shared }]) => {
      const opens = union(boxes);
      const side = ROOM_PER_TASK * Math.sqrt(ids.length);
      const width = Math.max(floor, side * 1.25);
      const height = Math.max(floor * 0.6, side * 0.8);
      const corner = { x: opens.x + opens.width / 2 - width / 2, y: opens.y + opens.height / 2 - height / 2 };
      return { anchor, ids, pending, shared, opens, corner, width, height };
    })
    .sort((a, b) => b.ids.length - a.ids.length || a.anchor.localeCompare(b.anchor));
  // The biggest first: each on its tasks, or at the free place nearest to them.
  const corners = placeNear(clusters.map((c) => ({ anchor: c.anchor, want: c.corner, width: c.width, height: c.height })));
  return clusters.map(({ anchor, ids, pending, shared, opens, width, height }) => {
    const corner = corners.get(anchor) ?? { x: 0, y: 0 };
    return { anchor, ids, pending, shared, opens, box: { ...corner, width, height } };
  });
}

/** The box around the clusters drawn (null when there are none). */
export function clustersBox(clusters: readonly Cluster[]): Box | null {
  return clusters.length > 0 ? union(clusters.map((cluster) => cluster.box)) : null;
}

/** The box around boxes (a cluster always has at least one). */
function union(boxes: readonly Box[]): Box {
  const corners = boxes.flatMap((b) => [b, { x: b.x + b.width, y: b.y + b.height }]);
  return boxAround(corners, { width: 0, height: 0 }) ?? { x: 0, y: 0, width: 0, height: 0 };
}

/** The cluster under a point (the last drawn, where boxes nest). */
export function clusterAt(clusters: readonly Cluster[], at: XY): Cluster | undefined {
  return clusters.findLast(({ box }) => at.x >= box.x && at.x <= box.x + box.width && at.y >= box.y && at.y <= box.y + box.height);
}

/** Dependencies between two clusters, counted: the overview draws one line per pair, not one per edge. */
export interface ClusterLink {
  from: string;
  to: string;
  count: number;
}

/**
 * The dependencies between clusters, aggregated: for each pair of clusters, how many dependencies
 * run from a task in one to a task in the other (a task in several tag clusters counts in each).
 * Links within a cluster are left out: its box stands for them.
 */
export function clusterLinks(clusters: readonly Cluster[], tasks: ReadonlyMap<string, Task>): ClusterLink[] {
  const of = new Map<string, string[]>();
  for (const cluster of clusters) {
    for (const id of cluster.ids) {
      const list = of.get(id);
      if (list) list.push(cluster.anchor);
      else of.set(id, [cluster.anchor]);
    }
  }
  const counts = new Map<string, ClusterLink>();
  for (const [id, targets] of of) {
    for (const dependency of tasks.get(id)?.after ?? []) {
      for (const from of of.get(dependency) ?? []) {
        for (const to of targets) {
          if (from === to) continue;
          const key = `${from}\u0000${to}`;
          const link = counts.get(key);
          if (link) link.count++;
          else counts.set(key, { from, to, count: 1 });
        }
      }
    }
  }
  return [...counts.values()].sort((a, b) => a.count - b.count);
}
