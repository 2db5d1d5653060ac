import type { Component } from './connected-components';
import { edgeKey, type ComponentLayout, type EdgeRoutes, type LayoutPositions, type XY } from './layout-types';

/**
 * The one engine that places the graph's cards: a left-to-right layered (Sugiyama) layout, for a
 * component of five tasks as for one of 50,000. One engine, so a plan looks the same at every size
 * (no change of style where a size limit switches engines) and the first view never waits for a
 * second engine to load. Written for size: every step is a loop over flat arrays (no recursion, no
 * spreading of big arrays into calls), linear or n·log n, so a 50,000-task plan cannot overflow the
 * stack. A general-purpose engine (ELK's layered algorithm) draws small plans no better than this
 * one, is slow to load and start in a worker (the first view waited for it), and on one connected
 * component of thousands of tasks runs for minutes or overflows the worker's stack.
 *
 * Steps: longest-path layering (tasks without dependencies pulled next to their first dependent),
 * a dummy per layer a long edge passes, barycentre sweeps (the order with fewest crossings kept),
 * vertical places by isotonic regression towards the neighbours' centres (pool adjacent
 * violators: each card as near its neighbours as the gaps allow), and orthogonal edges in the
 * channels between the layers, so an edge never passes under a card.
 *
 * The one fallback is quickLayout (below): columns by longest path in the input order, straight
 * edges, linear; for a component too big to lay out in the window's thread when the workers are
 * lost, or when laying out failed. An edit does not lay a
 * component out again where it can keep the picture on screen (derive-layout.ts): that moves the
 * cards the edit must move, along this engine's columns and channels, and no others.
 */
export interface LayeredOptions {
  /** Down-and-up ordering sweeps (0: the input order, for the quick fallback). */
  sweeps?: number;
  /** Placement passes towards the neighbours (0: cards stacked from the top). */
  passes?: number;
}

/** Between two cards of a layer. */
export const NODE_GAP = 28;
/** Between two layers' cards (their edges run in this channel). */
export const LAYER_GAP = 80;
const EDGE_GAP = 8;
const EDGE_NODE_GAP = 14;
const CHANNEL_SLOT = 6;
const MAX_CHANNEL = 200;

export function layeredLayout(component: Component, options: LayeredOptions = {}): ComponentLayout {
  const sweeps = options.sweeps ?? 6;
  const passes = options.passes ?? 4;
  const n = component.nodes.length;
  const index = new Map<string, number>();
  component.nodes.forEach((node, i) => {
    index.set(node.id, i);
  });
  const edges: Array<[number, number]> = [];
  for (const edge of component.edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s !== undefined && t !== undefined && s !== t) edges.push([s, t]);
  }

  const layerOf = assignLayers(n, edges);
  // Items: the real nodes, then one dummy per layer each long edge passes. Each edge's items from
  // source to target are kept in `chain` (flat, `chainStart` per edge; -1: an edge not going rightwards).
  const itemLayer: number[] = Array.from(layerOf);
  const chain: number[] = [];
  const chainStart = new Int32Array(edges.length + 1);
  // Each segment's two items, flat (a pair array per segment was tens of thousands of small objects at 10,000 tasks).
  const segmentFrom: number[] = [];
  const segmentTo: number[] = [];
  for (let e = 0; e < edges.length; e++) {
    const [s, t] = edges[e] as [number, number];
    chainStart[e] = chain.length;
    const from = layerOf[s] as number;
    const to = layerOf[t] as number;
    if (to <= from) continue;
    chain.push(s);
    let previous = s;
    for (let layer = from + 1; layer < to; layer++) {
      const dummy = itemLayer.length;
      itemLayer.push(layer);
      segmentFrom.push(previous);
      segmentTo.push(dummy);
      chain.push(dummy);
      previous = dummy;
    }
    segmentFrom.push(previous);
    segmentTo.push(t);
    chain.push(t);
  }
  chainStart[edges.length] = chain.length;
  const items = itemLayer.length;
  const half = new Float64Array(items);
  component.nodes.forEach((node, i) => {
    half[i] = node.height / 2;
  });
  const up = adjacency(items, segmentTo, segmentFrom);
  const down = adjacency(items, segmentFrom, segmentTo);
  let layerCount = 0;
  for (let i = 0; i < items; i++) layerCount = Math.max(layerCount, (itemLayer[i] as number) + 1);

  // Initial order: the input order (kept from the picture on screen, see layout-graph.ts), each
  // dummy where its edge's source is.
  const rank = new Float64Array(items);
  for (let i = 0; i < items; i++) rank[i] = i < n ? i : (rank[up.list[up.start[i] as number] as number] as number);
  const order = Array.from({ length: items }, (_, i) => i).sort((a, b) => (rank[a] as number) - (rank[b] as number) || a - b);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (const item of order) (layers[itemLayer[item] as number] as number[]).push(item);
  const position = new Float64Array(items);
  const number = () => {
    for (const layer of layers) for (let i = 0; i < layer.length; i++) position[layer[i] as number] = i;
  };
  number();

  const key = new Float64Array(items);
  let best = layers.map((layer) => layer.slice());
  let fewest = countCrossings(layers, down, position);
  for (let sweep = 0; sweep < sweeps && fewest > 0; sweep++) {
    for (let l = 1; l < layerCount; l++) reorder(layers[l] as number[], up, position, key);
    for (let l = layerCount - 2; l >= 0; l--) reorder(layers[l] as number[], down, position, key);
    const crossings = countCrossings(layers, down, position);
    if (crossings < fewest) {
      fewest = crossings;
      best = layers.map((layer) => layer.slice());
    }
  }
  for (let l = 0; l < layerCount; l++) layers[l] = best[l] as number[];
  number();

  // Vertical centres: stacked, then drawn towards the neighbours' centres.
  const centre = new Float64Array(items);
  const gapAfter = (a: number, b: number) => (a >= n && b >= n ? EDGE_GAP : a >= n || b >= n ? EDGE_NODE_GAP : NODE_GAP);
  for (const layer of layers) {
    let y = 0;
    for (let i = 0; i < layer.length; i++) {
      const item = layer[i] as number;
      if (i > 0) y += gapAfter(layer[i - 1] as number, item);
      centre[item] = y + (half[item] as number);
      y += 2 * (half[item] as number);
    }
  }
  for (let pass = 0; pass < passes; pass++) {
    for (let l = 1; l < layerCount; l++) place(layers[l] as number[], up, centre, half, n, gapAfter);
    for (let l = layerCount - 2; l >= 0; l--) place(layers[l] as number[], down, centre, half, n, gapAfter);
  }
  let top = Infinity;
  for (let i = 0; i < items; i++) top = Math.min(top, (centre[i] as number) - (half[i] as number));
  if (!Number.isFinite(top)) top = 0;
  // Whole pixels: an edge between two items whose centres are level runs exactly straight.
  for (let i = 0; i < items; i++) centre[i] = Math.round((centre[i] as number) - top);

  // Columns: each layer as wide as its widest card, each channel wide enough for its bends.
  const layerWidth = new Float64Array(layerCount);
  for (let i = 0; i < n; i++) {
    const l = layerOf[i] as number;
    layerWidth[l] = Math.max(layerWidth[l] as number, (component.nodes[i] as { width: number }).width);
  }
  // A bend per segment whose ends are not level: it turns in the channel after the segment's first layer.
  const bendOf = new Int32Array(chain.length).fill(-1);
  const bendsIn: number[][] = Array.from({ length: Math.max(0, layerCount - 1) }, () => []);
  const bendFrom: number[] = [];
  const bendTo: number[] = [];
  for (let e = 0; e < edges.length; e++) {
    for (let k = chainStart[e] as number; k + 1 < (chainStart[e + 1] as number); k++) {
      const a = centre[chain[k] as number] as number;
      const b = centre[chain[k + 1] as number] as number;
      if (a === b) continue;
      bendOf[k] = bendFrom.length;
      (bendsIn[itemLayer[chain[k] as number] as number] as number[]).push(bendFrom.length);
      bendFrom.push(a);
      bendTo.push(b);
    }
  }
  const channelWidth = bendsIn.map((list) => Math.min(MAX_CHANNEL, Math.max(LAYER_GAP, (list.length + 1) * CHANNEL_SLOT)));
  const layerX = new Float64Array(layerCount);
  for (let l = 1; l < layerCount; l++)
    layerX[l] = (layerX[l - 1] as number) + (layerWidth[l - 1] as number) + (channelWidth[l - 1] as number);
  // Each bend's x in its channel: downward bends left to right by where they start, upward ones
  // right to left, spread over the channel.
  const bendX = new Float64Array(bendFrom.length);
  const down1 = (b: number) => ((bendTo[b] as number) > (bendFrom[b] as number) ? 0 : 1);
  bendsIn.forEach((list, l) => {
    list.sort(
      (p, q) =>
        down1(p) - down1(q) ||
        (down1(p) === 0 ? (bendFrom[p] as number) - (bendFrom[q] as number) : (bendFrom[q] as number) - (bendFrom[p] as number)),
    );
    const start = (layerX[l] as number) + (layerWidth[l] as number);
    const step = (channelWidth[l] as number) / (list.length + 1);
    list.forEach((bend, k) => {
      bendX[bend] = start + step * (k + 1);
    });
  });

  const positions: LayoutPositions = {};
  // Each card's left side, by index: the routes read it there, not back from `positions` by id.
  const left = new Float64Array(n);
  let width = 0;
  let height = 0;
  for (let i = 0; i < n; i++) {
    const node = component.nodes[i] as Component['nodes'][number];
    const l = layerOf[i] as number;
    const x = (layerX[l] as number) + ((layerWidth[l] as number) - node.width) / 2;
    const y = (centre[i] as number) - node.height / 2;
    left[i] = x;
    positions[node.id] = { x, y };
    width = Math.max(width, x + node.width);
    height = Math.max(height, y + node.height);
  }
  const routes: EdgeRoutes = {};
  for (let e = 0; e < edges.length; e++) {
    const [s, t] = edges[e] as [number, number];
    const source = component.nodes[s] as Component['nodes'][number];
    const target = component.nodes[t] as Component['nodes'][number];
    const points: XY[] = [{ x: (left[s] as number) + source.width, y: centre[s] as number }];
    for (let k = chainStart[e] as number; k + 1 < (chainStart[e + 1] as number); k++) {
      const bend = bendOf[k] as number;
      if (bend < 0) continue;
      const x = bendX[bend] as number;
      points.push({ x, y: bendFrom[bend] as number }, { x, y: bendTo[bend] as number });
    }
    points.push({ x: left[t] as number, y: centre[t] as number });
    routes[edgeKey(source.id, target.id)] = points;
  }
  return { positions, routes, width, height };
}

/**
 * Longest-path layers in topological (Kahn) order; a task without dependencies then moves right
 * next to its nearest dependent, so it does not pull a long edge across the plan. Tasks on a
 * cycle (an imported graph may have one) are put after everything they follow.
 */
function assignLayers(n: number, edges: ReadonlyArray<readonly [number, number]>): Int32Array {
  const out: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Int32Array(n);
  for (const [s, t] of edges) {
    (out[s] as number[]).push(t);
    indegree[t] = (indegree[t] as number) + 1;
  }
  const layer = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const left = Int32Array.from(indegree);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head] as number;
    for (const t of out[v] as number[]) {
      layer[t] = Math.max(layer[t] as number, (layer[v] as number) + 1);
      left[t] = (left[t] as number) - 1;
      if (left[t] === 0) queue.push(t);
    }
  }
  // On a cycle: never reached by Kahn's order; placed after everything.
  if (queue.length < n) {
    let deepest = 0;
    for (const v of queue) deepest = Math.max(deepest, layer[v] as number);
    for (let i = 0; i < n; i++) if ((left[i] as number) > 0) layer[i] = deepest + 1;
  }
  for (let head = queue.length - 1; head >= 0; head--) {
    const v = queue[head] as number;
    if (indegree[v] !== 0 || (out[v] as number[]).length === 0) continue;
    let nearest = Infinity;
    for (const t of out[v] as number[]) nearest = Math.min(nearest, layer[t] as number);
    if (nearest - 1 > (layer[v] as number)) layer[v] = nearest - 1;
  }
  return layer;
}

/** Each item's neighbours on one side, as flat lists: those of item i are list[start[i]] … list[start[i + 1] - 1]. */
interface Adjacency {
  start: Int32Array;
  list: Int32Array;
}

function adjacency(items: number, from: readonly number[], to: readonly number[]): Adjacency {
  const start = new Int32Array(items + 1);
  for (let k = 0; k < from.length; k++) start[(from[k] as number) + 1] = (start[(from[k] as number) + 1] as number) + 1;
  for (let i = 0; i < items; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
  const fill = start.slice(0, items);
  const list = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) {
    const at = from[k] as number;
    list[fill[at] as number] = to[k] as number;
    fill[at] = (fill[at] as number) + 1;
  }
  return { start, list };
}

/** Sorts a layer by the mean position of each item's neighbours in the layer before (or after). */
function reorder(layer: number[], neighbours: Adjacency, position: Float64Array, key: Float64Array): void {
  const { start, list } = neighbours;
  for (const item of layer) {
    const from = start[item] as number;
    const to = start[item + 1] as number;
    if (from === to) {
      key[item] = position[item] as number;
      continue;
    }
    let sum = 0;
    for (let k = from; k < to; k++) sum += position[list[k] as number] as number;
    key[item] = sum / (to - from);
  }
  layer.sort((a, b) => (key[a] as number) - (key[b] as number) || (position[a] as number) - (position[b] as number));
  for (let i = 0; i < layer.length; i++) position[layer[i] as number] = i;
}

/** Edge crossings between each pair of neighbouring layers (Barth, Jünger and Mutzel's accumulator tree). */
function countCrossings(layers: readonly number[][], down: Adjacency, position: Float64Array): number {
  const { start, list } = down;
  let total = 0;
  const ends: number[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const next = layers[l + 1] as number[];
    let size = 1;
    while (size < next.length) size *= 2;
    const tree = new Int32Array(2 * size);
    for (const item of layers[l] as number[]) {
      // An item's few ends in ascending order (insertion sort: usually one to three).
      ends.length = 0;
      for (let k = start[item] as number; k < (start[item + 1] as number); k++) {
        const end = position[list[k] as number] as number;
        let at = ends.length;
        ends.push(end);
        while (at > 0 && (ends[at - 1] as number) > end) {
          ends[at] = ends[at - 1] as number;
          at--;
        }
        ends[at] = end;
      }
      for (const end of ends) {
        let node = end + size;
        tree[node] = (tree[node] as number) + 1;
        while (node > 1) {
          if (node % 2 === 0) total += tree[node + 1] as number;
          node = node >> 1;
          tree[node] = (tree[node] as number) + 1;
        }
      }
    }
  }
  return total;
}

/**
 * Moves a layer's items towards their neighbours' mean centre, keeping their order and gaps:
 * the least-squares solution (pool adjacent violators on the centres minus the room before each).
 * Long edges' dummies (items from `firstDummy` on) weigh more, so long edges run straight.
 */
function place(
  layer: readonly number[],
  neighbours: Adjacency,
  centre: Float64Array,
  half: Float64Array,
  firstDummy: number,
  gapAfter: (a: number, b: number) => number,
): void {
  const count = layer.length;
  if (count === 0) return;
  const { start, list } = neighbours;
  const offset = new Float64Array(count);
  const target = new Float64Array(count);
  const weight = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const item = layer[i] as number;
    if (i > 0) {
      const before = layer[i - 1] as number;
      offset[i] = (offset[i - 1] as number) + (half[before] as number) + gapAfter(before, item) + (half[item] as number);
    }
    const from = start[item] as number;
    const to = start[item + 1] as number;
    let wanted = centre[item] as number;
    if (to > from) {
      let sum = 0;
      for (let k = from; k < to; k++) sum += centre[list[k] as number] as number;
      wanted = sum / (to - from);
    }
    target[i] = wanted - (offset[i] as number);
    weight[i] = to === from ? 0.1 : item >= firstDummy ? 4 : 1;
  }
  // Blocks of the stack: mean, weight and how many items each holds.
  const mean: number[] = [];
  const mass: number[] = [];
  const size: number[] = [];
  for (let i = 0; i < count; i++) {
    let m = target[i] as number;
    let w = weight[i] as number;
    let s = 1;
    while (mean.length > 0 && (mean[mean.length - 1] as number) >= m) {
      const pm = mean.pop() as number;
      const pw = mass.pop() as number;
      const ps = size.pop() as number;
      m = (pm * pw + m * w) / (pw + w);
      w += pw;
      s += ps;
    }
    mean.push(m);
    mass.push(w);
    size.push(s);
  }
  let i = 0;
  for (let b = 0; b < mean.length; b++) {
    for (let k = 0; k < (size[b] as number); k++, i++) centre[layer[i] as number] = (mean[b] as number) + (offset[i] as number);
  }
}

/**
 * The fallback when a layout cannot be computed (its worker failed): columns by longest path, in
 * the input order, edges as straight lines. Linear and cheap (a few ms for 10,000 tasks), so it
 * runs in the window without blocking it; edges may pass under cards.
 */
export function quickLayout(component: Component): ComponentLayout {
  const n = component.nodes.length;
  const index = new Map<string, number>();
  component.nodes.forEach((node, i) => {
    index.set(node.id, i);
  });
  const edges: Array<[number, number]> = [];
  for (const edge of component.edges) {
    const s = index.get(edge.source);
    const t = index.get(edge.target);
    if (s !== undefined && t !== undefined && s !== t) edges.push([s, t]);
  }
  const layerOf = assignLayers(n, edges);
  const columnTop: number[] = [];
  const columnWidth: number[] = [];
  component.nodes.forEach((node, i) => {
    const l = layerOf[i] as number;
    columnWidth[l] = Math.max(columnWidth[l] ?? 0, node.width);
  });
  const columnX: number[] = [];
  let x = 0;
  for (let l = 0; l < columnWidth.length; l++) {
    columnX[l] = x;
    x += (columnWidth[l] ?? 0) + LAYER_GAP;
  }
  const positions: LayoutPositions = {};
  let width = 0;
  let height = 0;
  component.nodes.forEach((node, i) => {
    const l = layerOf[i] as number;
    const y = columnTop[l] ?? 0;
    columnTop[l] = y + node.height + NODE_GAP;
    positions[node.id] = { x: columnX[l] as number, y };
    width = Math.max(width, (columnX[l] as number) + node.width);
    height = Math.max(height, y + node.height);
  });
  const routes: EdgeRoutes = {};
  for (const [s, t] of edges) {
    const source = component.nodes[s] as Component['nodes'][number];
    const target = component.nodes[t] as Component['nodes'][number];
    const from = positions[source.id] as XY;
    const to = positions[target.id] as XY;
    routes[edgeKey(source.id, target.id)] = [
      { x: from.x + source.width, y: from.y + source.height / 2 },
      { x: to.x, y: to.y + target.height / 2 },
    ];
  }
  return { positions, routes, width, height };
}
