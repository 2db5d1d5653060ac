import type { Component } from './connected-components';
import { LAYER_GAP, NODE_GAP } from './elk-layout';

/** Room ELK takes beside the layer gap for the edges routed between two layers. */
const ROUTING_ROOM = 12;
/** Space a long edge takes where it passes through a layer. */
const DUMMY_ROOM = 18;

/**
 * The size a component's layered layout will roughly have, from a longest-path layering: the
 * number of layers gives the width, the fullest layer (cards plus edges passing through it) the
 * height. Cheap (linear), so the whole canvas can be arranged before ELK has laid out anything,
 * and the part where work happens laid out and shown first, already in its place.
 */
export function estimateSize(component: Component): { width: number; height: number } {
  const layerOf = longestPathLayers(component);
  let layers = 0;
  const size = new Map<number, { cards: number; height: number; dummies: number }>();
  for (const node of component.nodes) {
    const layer = layerOf.get(node.id) ?? 0;
    layers = Math.max(layers, layer + 1);
    const entry = size.get(layer) ?? { cards: 0, height: 0, dummies: 0 };
    entry.cards++;
    entry.height += node.height;
    size.set(layer, entry);
  }
  for (const edge of component.edges) {
    const from = layerOf.get(edge.source) ?? 0;
    const to = layerOf.get(edge.target) ?? 0;
    for (let layer = from + 1; layer < to; layer++) {
      const entry = size.get(layer);
      if (entry) entry.dummies++;
    }
  }
  let height = 0;
  for (const entry of size.values()) height = Math.max(height, entry.height + (entry.cards - 1) * NODE_GAP + entry.dummies * DUMMY_ROOM);
  const cardWidth = component.nodes[0]?.width ?? 0;
  return { width: layers * cardWidth + Math.max(0, layers - 1) * (LAYER_GAP + ROUTING_ROOM), height };
}

/** Each node's layer: one more than its deepest dependency (Kahn's order; cycles cannot occur). */
function longestPathLayers(component: Component): Map<string, number> {
  const incoming = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const node of component.nodes) incoming.set(node.id, 0);
  for (const edge of component.edges) {
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const layer = new Map<string, number>();
  const queue: string[] = [];
  for (const [id, count] of incoming) {
    if (count === 0) {
      queue.push(id);
      layer.set(id, 0);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    const here = layer.get(id) ?? 0;
    for (const target of next.get(id) ?? []) {
      layer.set(target, Math.max(layer.get(target) ?? 0, here + 1));
      const left = (incoming.get(target) ?? 1) - 1;
      incoming.set(target, left);
      if (left === 0) queue.push(target);
    }
  }
  return layer;
}
