import { neverDue, type Steps, toEnd } from '../../../shared/steps';
import { isSystemTaskId, type Task } from '../../../shared/task';
import { BY_URGENCY, STATE_KINDS, STATE_LABELS, type StateKind, type TaskState } from '../../task-state/task-state';
import { SINGLES } from '../layout/layout-graph';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, GraphLayout, LayoutGroup, LayoutPositions, XY } from '../layout/layout-types';
import { GROUP_GAP } from '../layout/pack-groups';
import { changedKeys } from '../../state/task-changes';
import { KeptStages } from './kept-clusters';
import { placeNear } from './place-near';
import { planStagesOf } from './wrapped-plan';
import { boxAround } from './viewport-math';
import { CLUSTER_ZOOM } from './zoom-levels';

export type StateCounts = Record<StateKind, number>;

/** What the clusters at low zoom stand for: the graph's connected parts, its tags, or its tasks' states. */
export type ClusterGrouping = 'connected' | 'tag' | 'state';
export const CLUSTER_GROUPINGS: readonly ClusterGrouping[] = ['connected', 'tag', 'state'];
/** The cluster of tasks without a tag (tag clusters are anchored on `tag:<name>`). */
export const UNTAGGED = 'untagged:';
const TAG_PREFIX = 'tag:';
/** State clusters are anchored on `state:<kind>`. */
const STATE_PREFIX = 'state:';
/** A big connected part's stages are anchored on `stage:<part>:<n>`. */
const STAGE_PREFIX = 'stage:';
/** The cluster that gathers the small parts and the tasks without dependencies. */
export const SMALL_PARTS = 'small-parts:';

/**
 * A name for each group shown as a cluster: a tag cluster's tag; for a connected part, the tag most
 * of its tasks share, else the title of its first task and how many more there are.
 */
export function clusterNames(
  groups: readonly Cluster[],
  tasks: ReadonlyMap<string, Task>,
  shared: KeptSharedTags = new KeptSharedTags(),
): Map<string, string> {
  const sharedTag = shared.reader(tasks);
  const names = new Map<string, string>();
  const stagedParts = new Set(groups.flatMap((group) => (group.stage ? [group.stage.part] : [])));
  for (const group of groups) {
    if (group.stage) {
      names.set(group.anchor, stageName(group, group.stage, tasks, stagedParts.size > 1, sharedTag));
      continue;
    }
    if (group.anchor.startsWith(STATE_PREFIX)) {
      const kind = group.anchor.slice(STATE_PREFIX.length) as StateKind;
      names.set(group.anchor, `${STATE_LABELS[kind] ?? kind} (${group.ids.length})`);
      continue;
    }
    if (group.anchor === SINGLES) {
      names.set(group.anchor, `Tasks without dependencies (${group.ids.length})`);
      continue;
    }
    if (group.anchor === SMALL_PARTS) {
      names.set(group.anchor, `Small parts and single tasks (${group.ids.length})`);
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
    const tag = sharedTag(group.ids);
    if (tag) {
      names.set(group.anchor, `${tag} (${group.ids.length})`);
      continue;
    }
    const first = tasks.get(group.anchor);
    names.set(group.anchor, `${first?.title ?? group.anchor}${group.ids.length > 1 ? ` +${group.ids.length - 1}` : ''}`);
  }
  return names;
}

/**
 * The tag at least half of the tasks share, if one does; upstream's bookkeeping tasks (`.assign-X`,
 * `.flip-X`: three of every four tasks of an imported plan, all tagged `agency`) are left out.
 */
function sharedTag(all: readonly string[], tasks: ReadonlyMap<string, Task>): string | null {
  let own = 0;
  for (const id of all) if (!isSystemTaskId(id)) own++;
  // The bookkeeping tasks count only where the cluster has nothing else.
  const counted = own > 0 ? own : all.length;
  const tags = new Map<string, number>();
  for (const id of all) {
    if (own > 0 && isSystemTaskId(id)) continue;
    const task = tasks.get(id);
    if (task) for (const tag of task.tags) tags.set(tag, (tags.get(tag) ?? 0) + 1);
  }
  let best: [string, number] | null = null;
  for (const entry of tags) if (!best || entry[1] > best[1]) best = entry;
  return best && best[1] * 2 >= counted ? best[0] : null;
}

/**
 * The tag each cluster's tasks share, kept by the cluster's list of tasks: a list an edit left alone
 * (a stage the edit did not touch, kept-clusters.ts) keeps its tag while no task's tags changed
 * (task-changes.ts: only the tasks that changed are compared); a change of tags, or a task added or
 * removed, reads every list again, as from nothing.
 */
export class KeptSharedTags {
  private tasks: ReadonlyMap<string, Task> | null = null;
  private known = new WeakMap<readonly string[], string | null>();

  reader(tasks: ReadonlyMap<string, Task>): (ids: readonly string[]) => string | null {
    if (tasks !== this.tasks) {
      if (!this.tasks || tagsChanged(this.tasks, tasks)) this.known = new WeakMap();
      this.tasks = tasks;
    }
    return (ids) => {
      let tag = this.known.get(ids);
      if (tag === undefined) {
        tag = sharedTag(ids, tasks);
        this.known.set(ids, tag);
      }
      return tag;
    };
  }
}

function tagsChanged(before: ReadonlyMap<string, Task>, after: ReadonlyMap<string, Task>): boolean {
  for (const id of changedKeys(before, after)) {
    const a = before.get(id);
    const b = after.get(id);
    if (a === b) continue;
    if (!a || !b || a.tags.length !== b.tags.length || a.tags.some((tag, i) => tag !== b.tags[i])) return true;
  }
  return false;
}

/** "Stage 3 · area-3 (417)": which stage, the tag most of it shares, how many tasks; the part's first task when several parts have stages. */
function stageName(
  group: Cluster,
  stage: Stage,
  tasks: ReadonlyMap<string, Task>,
  several: boolean,
  sharedTag: (ids: readonly string[]) => string | null,
): string {
  const tag = sharedTag(group.ids);
  const part = several ? `${tasks.get(stage.part)?.title ?? stage.part}: ` : '';
  return `${part}Stage ${stage.index}${tag ? ` · ${tag}` : ''} (${group.ids.length})`;
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

/** "1 need you", "3 failed", "2 running", "40 done": the states present, most urgent first (a small box writes the first ones). */
export function countParts(counts: StateCounts): string[] {
  return BY_URGENCY.filter((kind) => counts[kind] > 0).map((kind) => `${counts[kind]} ${kind === 'needs-you' ? 'need you' : kind}`);
}

/** "3 running · 1 failed · 40 done". */
export const countsText = (counts: StateCounts): string => countParts(counts).join(' · ');

/** A cluster on the canvas; a tag cluster opens onto the box its tasks cover, not the box it is drawn in. */
export interface Cluster extends LayoutGroup {
  opens?: Box;
  /** Of its tasks, how many are also in another tag's cluster. */
  shared?: number;
  /** One stage of a big connected part (its columns from left to right, cut into about equal shares). */
  stage?: Stage;
}

interface Stage {
  /** The part's anchor. */
  part: string;
  /** 1-based, left to right. */
  index: number;
  of: number;
}

/**
 * The connected parts as clusters: each its own box, except
 * - a big one (one connected plan of thousands of tasks), which would be one box saying only its
 *   counts: it is cut into stages, its columns from left to right in about equal shares of its
 *   tasks, each drawn as the box its cards cover (where they are drawn: a long plan is set in rows
 *   of its stages, wrapped-plan.ts, so zooming into a stage reaches its cards), with its counts,
 *   and the dependencies between stages drawn as counted arrows. Its progress reads from the first
 *   stage to the last;
 * - the small parts and the tasks without dependencies, which would be specks scattered over the
 *   picture: gathered in one cluster (when there are at least two of them).
 */
export function connectedClusters(layout: GraphLayout, kept = new KeptStages()): readonly Cluster[] {
  const { groups } = layout;
  const { big, stages: cuts, small, gathered: smallParts } = planStagesOf(layout) ?? kept.update(layout);
  const gathered = smallParts ? clustersOf(new Map([[SMALL_PARTS, { ...smallParts, shared: 0 }]])) : [];
  if (big.length === 0 && gathered.length === 0) return groups;
  const bigAnchors = new Set(big.map((group) => group.anchor));
  const smallAnchors = new Set(small.map((group) => group.anchor));
  const stages: Cluster[] = [];
  for (const [part, list] of cuts) {
    if (!bigAnchors.has(part)) continue;
    for (const cut of list) {
      stages.push({
        anchor: `${STAGE_PREFIX}${part}:${cut.index}`,
        ids: cut.ids,
        pending: cut.pending,
        shared: 0,
        box: { x: cut.left, y: cut.top, width: cut.right - cut.left, height: cut.bottom - cut.top },
        stage: { part, index: cut.index, of: cut.of },
      });
    }
  }
  // The stages and the other parts are where their cards are; the gathered ones go to the free place
  // nearest to their tasks, clear of them (a stage's box is drawn inset by half the gap: stages next
  // to each other lie closer than it).
  const rest = groups.filter((group) => !bigAnchors.has(group.anchor) && !(gathered.length > 0 && smallAnchors.has(group.anchor)));
  const inset = GROUP_GAP / 2;
  const corners = placeNear([
    ...stages.map(({ anchor, box }) => ({
      anchor,
      want: { x: box.x + inset, y: box.y + inset },
      width: Math.max(0, box.width - 2 * inset),
      height: Math.max(0, box.height - 2 * inset),
    })),
    ...rest.map((group) => ({ anchor: group.anchor, want: group.box, width: group.box.width, height: group.box.height })),
    ...gathered.map((cluster) => ({ anchor: cluster.anchor, want: cluster.box, width: cluster.box.width, height: cluster.box.height })),
  ]);
  const placed = (cluster: Cluster): Cluster => {
    const corner = corners.get(cluster.anchor);
    return corner ? { ...cluster, box: { ...cluster.box, ...corner } } : cluster;
  };
  return [...rest.map(placed), ...stages, ...gathered.map(placed)];
}

/** How much longer one way than the canvas the clusters may lie before they are arranged in rows. */
const STRETCH = 3;

/**
 * The clusters as a picture the canvas can hold and read: where they lie far longer one way than
 * the canvas (one connected plan is a strip, 181,672 × 5,803 at 10,000 tasks: drawn whole, each box
 * a few pixels), or where a plan's stages are not in reading order (placed near their tasks, they
 * step out of each other's way in any direction), they are set in rows in reading order (left to
 * right, then the next row): a part's stages first to last, the parts in the order they lie in,
 * each keeping its size and opening onto where its tasks are. Otherwise they stay where they are.
 */
export function arrangedForScreen(clusters: readonly Cluster[], canvas: { width: number; height: number }): readonly Cluster[] {
  const extent = clustersBox(clusters);
  const aspect = canvas.width / Math.max(1, canvas.height);
  if (!extent || clusters.length < 2 || !(aspect > 0) || canvas.height <= 0) return clusters;
  const stretch = extent.width / Math.max(1, extent.height) / aspect;
  const wide = stretch > 1;
  const order = readingOrder(clusters, wide);
  const staged = clusters.some((cluster) => cluster.stage);
  if (stretch <= STRETCH && stretch >= 1 / STRETCH && !staged) return clusters;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const gap = Math.max(GROUP_GAP, 0.25 * median(order.map(({ box }) => Math.min(box.width, box.height))));
  // A small part (a task without dependencies beside a big plan) at least half the usual size: big enough to name.
  const least = { width: 0.5 * median(order.map(({ box }) => box.width)), height: 0.5 * median(order.map(({ box }) => box.height)) };
  const sized = order.map(({ box }) => ({ ...box, width: Math.max(box.width, least.width), height: Math.max(box.height, least.height) }));
  // Rows as wide as one box, two boxes… whichever lets the canvas show them biggest (counts tried
  // in steps of 15% past ten: a few dozen layouts, however many clusters).
  let best: { scale: number; boxes: Box[] } | null = null;
  for (let perRow = 1; perRow <= order.length; perRow = Math.max(perRow + 1, Math.floor(perRow * 1.15))) {
    const rowWidth = Math.max(...sized.slice(0, perRow).map((box) => box.width)) * perRow + gap * (perRow - 1);
    const boxes = inRows(sized, rowWidth, gap, extent);
    const around = boxAround(
      boxes.flatMap((box) => [box, { x: box.x + box.width, y: box.y + box.height }]),
      { width: 0, height: 0 },
    ) as Box;
    const scale = Math.min(aspect / Math.max(1, around.width), 1 / Math.max(1, around.height));
    if (!best || scale > best.scale) best = { scale, boxes };
  }
  // A few clusters would be small on the canvas at the most the cluster zoom goes to: grown to fill it.
  const boxes = best?.boxes ?? order.map((cluster) => cluster.box);
  const around = clustersBox(boxes.map((box) => ({ box }) as Cluster)) as Box;
  const grow = Math.max(1, Math.min(canvas.width / (CLUSTER_ZOOM * around.width), canvas.height / (CLUSTER_ZOOM * around.height)) * FILL);
  const grown = (box: Box): Box => ({
    x: around.x + (box.x - around.x) * grow,
    y: around.y + (box.y - around.y) * grow,
    width: box.width * grow,
    height: box.height * grow,
  });
  return order.map((cluster, index) => ({
    ...cluster,
    box: grown(boxes[index] ?? cluster.box),
    opens: cluster.opens ?? cluster.box,
  }));
}

/** How much of the canvas clusters grown to fill it take (the rest is margin, and the overlays' room). */
const FILL = 0.75;

const centreOf = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });
/**
 * The clusters in the order they are read: by where their tasks are (a stage, a tag's cluster
 * opens onto them), along the picture's long side; a part's stages together, first to last, where
 * that part's first stage comes.
 */
function readingOrder(clusters: readonly Cluster[], wide: boolean): Cluster[] {
  const place = (cluster: Cluster) => centreOf(cluster.opens ?? cluster.box);
  const before = (a: Cluster, b: Cluster) => {
    const p = place(a);
    const q = place(b);
    return wide ? p.x - q.x || p.y - q.y : p.y - q.y || p.x - q.x;
  };
  const sorted = [...clusters].sort(before);
  const partAt = new Map<string, number>();
  sorted.forEach((cluster, index) => {
    const part = cluster.stage?.part ?? cluster.anchor;
    if (!partAt.has(part)) partAt.set(part, index);
  });
  return sorted.sort((a, b) => {
    const pa = partAt.get(a.stage?.part ?? a.anchor) ?? 0;
    const pb = partAt.get(b.stage?.part ?? b.anchor) ?? 0;
    return pa - pb || (a.stage?.index ?? 0) - (b.stage?.index ?? 0);
  });
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
 * a picture.
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
  // Each key's tasks and the box they cover, grown as they come (no box kept per task).
  const byTag = new Map<string, Entry>();
  for (const group of groups) {
    for (const id of group.ids) {
      const keys = keysOf(id);
      const p = positions[id];
      // A task not laid out yet stands in with its group's estimated box.
      const box = p ? { x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT } : group.box;
      for (const anchor of keys) {
        let entry = byTag.get(anchor);
        if (!entry) {
          entry = { ids: [], left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity, pending: false, shared: 0 };
          byTag.set(anchor, entry);
        }
        entry.ids.push(id);
        entry.left = Math.min(entry.left, box.x);
        entry.top = Math.min(entry.top, box.y);
        entry.right = Math.max(entry.right, box.x + box.width);
        entry.bottom = Math.max(entry.bottom, box.y + box.height);
        if (!p) entry.pending = true;
        if (keys.length > 1) entry.shared++;
      }
    }
  }
  return clustersOf(byTag, minShare);
}

/** A cluster's tasks and the box they cover; `pending`: some are not laid out yet; `shared`: how many are in other clusters too. */
interface Entry {
  ids: string[];
  left: number;
  top: number;
  right: number;
  bottom: number;
  pending: boolean;
  shared: number;
}

/**
 * Clusters from their tasks: each drawn as a box sized by its count (the smallest side at least
 * `minShare` of the biggest's), as near the middle of its tasks as it can be without overlapping
 * another, the biggest first; a click opens the box its tasks cover.
 */
function clustersOf(byTag: ReadonlyMap<string, Entry>, minShare = 0): Cluster[] {
  const biggest = Math.max(0, ...[...byTag.values()].map((entry) => entry.ids.length));
  const floor = Math.max(MIN_CLUSTER_WIDTH, ROOM_PER_TASK * Math.sqrt(biggest) * 1.25 * minShare);
  const clusters = [...byTag]
    .map(([anchor, { ids, left, top, right, bottom, pending, shared }]) => {
      const opens = { x: left, y: top, width: right - left, height: bottom - top };
      const side = ROOM_PER_TASK * Math.sqrt(ids.length);
      const width = Math.max(floor, side * 1.25);
      const height = Math.max(floor * 0.7, side);
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

/** Boxes of the same sizes in rows of at most `rowWidth`, from the corner of `extent`, in the order given. */
function inRows(boxes: readonly Box[], rowWidth: number, gap: number, extent: Box): Box[] {
  const placed: Box[] = [];
  let x = extent.x;
  let y = extent.y;
  let rowHeight = 0;
  for (const box of boxes) {
    if (x > extent.x && x + box.width > extent.x + rowWidth + 1) {
      x = extent.x;
      y += rowHeight + gap;
      rowHeight = 0;
    }
    placed.push({ ...box, x, y });
    x += box.width + gap;
    rowHeight = Math.max(rowHeight, box.height);
  }
  return placed;
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
  return toEnd(clusterLinkSteps(clusters, tasks, neverDue));
}

/**
 * clusterLinks as steps that pause where `due` says (shared/steps.ts): the window counts them in time slices, before the
 * first frame that draws them (a 50,000-task plan's, at the first frame of its clusters: 35 ms and a collection).
 */
export function* clusterLinkSteps(
  clusters: readonly Cluster[],
  tasks: ReadonlyMap<string, Task>,
  due: () => boolean,
): Steps<ClusterLink[]> {
  // Each task's cluster by number (a list for a task in several tag clusters), each pair keyed by a number: a
  // 50,000-task plan's 100,000 dependencies keyed by a string each were a long task, most of it the collector's.
  const of = new Map<string, number | number[]>();
  for (const [index, cluster] of clusters.entries()) {
    for (const id of cluster.ids) {
      if (due()) yield;
      const there = of.get(id);
      if (there === undefined) of.set(id, index);
      else if (typeof there === 'number') {
        if (there !== index) of.set(id, [there, index]);
      } else if (!there.includes(index)) there.push(index);
    }
  }
  const n = clusters.length;
  const counts = new Map<number, number>();
  const count = (from: number, to: number) => {
    if (from === to) return;
    const key = from * n + to;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const countTo = (from: number, targets: number | number[]) => {
    if (typeof targets === 'number') count(from, targets);
    else for (const to of targets) count(from, to);
  };
  for (const [id, targets] of of) {
    if (due()) yield;
    for (const dependency of tasks.get(id)?.after ?? []) {
      const sources = of.get(dependency);
      if (sources === undefined) continue;
      if (typeof sources === 'number') countTo(sources, targets);
      else for (const from of sources) countTo(from, targets);
    }
  }
  const links: ClusterLink[] = [];
  for (const [key, total] of counts) {
    const from = clusters[Math.floor(key / n)] as Cluster;
    const to = clusters[key % n] as Cluster;
    links.push({ from: from.anchor, to: to.anchor, count: total });
  }
  return links.sort((a, b) => a.count - b.count);
}
