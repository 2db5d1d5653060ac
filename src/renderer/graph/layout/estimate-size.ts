import { TimeSlices } from '../../scheduling/time-slices';
import type { Component } from './connected-components';
import { LAYER_GAP, NODE_GAP } from './layered-layout';

/** Room the layout takes beside the layer gap for the edges routed between two layers. */
const ROUTING_ROOM = 12;
/** Space a long edge takes where it passes through a layer. */
const DUMMY_ROOM = 18;

/**
 * The size a component's layered layout will roughly have, from a longest-path layering: the
 * number of layers gives the width, the fullest layer (cards plus edges passing through it) the
 * height. Cheap (linear, in time slices), so the whole canvas can be arranged before anything is laid out,
 * and the part where work happens laid out and shown first, already in its place.
 */
export async function estimateSize(component: Component, slices = new TimeSlices()): Promise<{ width: number; height: number }> {
  const { index, layer } = await longestPathLayers(component, slices);
  let layers = 0;
  for (let i = 0; i < layer.length; i++) layers = Math.max(layers, (layer[i] as number) + 1);
  const cards = new Int32Array(layers);
  const heights = new Float64Array(layers);
  const dummies = new Int32Array(layers);
  component.nodes.forEach((node, i) => {
    const at = layer[i] as number;
    cards[at] = (cards[at] as number) + 1;
    heights[at] = (heights[at] as number) + node.height;
  });
  for (const edge of component.edges) {
    const from = layer[index.get(edge.source) ?? -1] ?? 0;
    const to = layer[index.get(edge.target) ?? -1] ?? 0;
    for (let at = from + 1; at < to; at++) dummies[at] = (dummies[at] as number) + 1;
    if (slices.due()) await slices.next();
  }
  let height = 0;
  for (let at = 0; at < layers; at++) {
    const count = cards[at] as number;
    if (count === 0) continue;
    height = Math.max(height, (heights[at] as number) + (count - 1) * NODE_GAP + (dummies[at] as number) * DUMMY_ROOM);
  }
  const cardWidth = component.nodes[0]?.width ?? 0;
  return { width: layers * cardWidth + Math.max(0, layers - 1) * (LAYER_GAP + ROUTING_ROOM), height };
}

/**
 * Each node's layer (by its index in the component): one more than its deepest dependency (Kahn's
 * order; cycles cannot occur). On indices in typed arrays: with Maps of ids it took a 50,000-task
 * plan a long task of the window's thread.
 */
async function longestPathLayers(component: Component, slices: TimeSlices): Promise<{ index: Map<string, number>; layer: Int32Array }> {
  const count = component.nodes.length;
  const index = new Map<string, number>();
  for (let i = 0; i < count; i++) {
    index.set((component.nodes[i] as Component['nodes'][number]).id, i);
    if (slices.due()) await slices.next();
  }
  const incoming = new Int32Array(count);
  // Each node's dependents, in one array (CSR): those of node i from first[i] to first[i + 1].
  const first = new Int32Array(count + 1);
  const sources: number[] = [];
  const targets: number[] = [];
  for (const edge of component.edges) {
    const source = index.get(edge.source);
    const target = index.get(edge.target);
    if (slices.due()) await slices.next();
    if (source === undefined || target === undefined) continue;
    sources.push(source);
    targets.push(target);
    incoming[target] = (incoming[target] as number) + 1;
    first[source + 1] = (first[source + 1] as number) + 1;
  }
  for (let i = 0; i < count; i++) first[i + 1] = (first[i + 1] as number) + (first[i] as number);
  const next = new Int32Array(sources.length);
  const filled = first.slice(0, count);
  sources.forEach((source, e) => {
    next[filled[source] as number] = targets[e] as number;
    filled[source] = (filled[source] as number) + 1;
  });
  const layer = new Int32Array(count);
  const queue = new Int32Array(count);
  let tail = 0;
  for (let i = 0; i < count; i++) if (incoming[i] === 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const node = queue[head] as number;
    const here = layer[node] as number;
    for (let k = first[node] as number; k < (first[node + 1] as number); k++) {
      const target = next[k] as number;
      if ((layer[target] as number) < here + 1) layer[target] = here + 1;
      incoming[target] = (incoming[target] as number) - 1;
      if (incoming[target] === 0) queue[tail++] = target;
    }
  }
  return { index, layer };
}
