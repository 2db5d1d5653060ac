import type { TimeSlices } from '../../scheduling/time-slices';
import type { Component } from './connected-components';
import type { LayoutInput } from './layout-types';

type LayoutNode = LayoutInput['nodes'][number];
type LayoutEdge = LayoutInput['edges'][number];

/**
 * A component as a change of the components a layout worker already holds: those named in `from`
 * (each with the tasks it holds now), less what left them, plus what is new. A component not built
 * from anything held (the first layout, or one to be laid out in its own order) is the change from
 * nothing: `from` empty and every card and edge added.
 */
export interface ComponentChange {
  key: string;
  from: string[];
  removedNodes: string[];
  addedNodes: LayoutNode[];
  removedEdges: LayoutEdge[];
  addedEdges: LayoutEdge[];
  /** Held components no longer needed, forgotten once this one is held. */
  forget: string[];
  /** Everything held is forgotten first (after a failure the window no longer knows what the worker holds). */
  clear?: boolean;
}

/**
 * The components a layout worker holds, by structure key, and for each task the component holding it
 * now (the newest: an edited component takes its tasks over from the one it was made from). The
 * worker keeps one; the window keeps a copy for each worker, changed by the same changes in the same
 * order, so both agree on every held component's cards and edges and their order (the layouts and
 * pictures they exchange are arrays in that order).
 */
export class HeldComponents {
  private readonly held = new Map<string, Component>();
  private readonly owner = new Map<string, string>();

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Held keys, the least recently held first. */
  keys(): string[] {
    return [...this.held.keys()];
  }

  /** The held component that holds this task now, if one does. */
  ownerOf(id: string): string | undefined {
    const key = this.owner.get(id);
    return key !== undefined && this.held.has(key) ? key : undefined;
  }

  /** Visits a held component's cards and edges that are its own (not taken over by a newer one), in its order. */
  async ownParts(key: string, visit: { node(node: LayoutNode): void; edge(edge: LayoutEdge): void }, slices?: TimeSlices): Promise<void> {
    const base = this.held.get(key);
    if (!base) throw new Error(`component ${key} is not held`);
    for (const node of base.nodes) {
      if (this.owner.get(node.id) === key) visit.node(node);
      if (slices?.due()) await slices.next();
    }
    for (const edge of base.edges) {
      if (this.owner.get(edge.target) === key) visit.edge(edge);
      if (slices?.due()) await slices.next();
    }
  }

  /** The component a change describes: the own cards and edges of `from` in turn, less the removed, then the added. */
  async compose(change: ComponentChange, slices?: TimeSlices, same?: ReadonlyMap<object, object>): Promise<Component> {
    if (change.clear) {
      this.held.clear();
      this.owner.clear();
    }
    const removedNodes = new Set(change.removedNodes);
    // Counted: a dependency listed twice is two edges, and one of them may go.
    const removedEdges = new Map<string, Map<string, number>>();
    for (const edge of change.removedEdges) {
      const targets = removedEdges.get(edge.source) ?? new Map<string, number>();
      targets.set(edge.target, (targets.get(edge.target) ?? 0) + 1);
      removedEdges.set(edge.source, targets);
    }
    const nodes: LayoutNode[] = [];
    const edges: LayoutEdge[] = [];
    for (const key of change.from) {
      await this.ownParts(
        key,
        {
          node: (node) => {
            if (!removedNodes.has(node.id)) nodes.push((same?.get(node) as LayoutNode | undefined) ?? node);
          },
          edge: (edge) => {
            const targets = removedEdges.get(edge.source);
            const left = targets?.get(edge.target) ?? 0;
            if (left > 0) targets?.set(edge.target, left - 1);
            else edges.push((same?.get(edge) as LayoutEdge | undefined) ?? edge);
          },
        },
        slices,
      );
    }
    for (const node of change.addedNodes) nodes.push(node);
    for (const edge of change.addedEdges) edges.push(edge);
    return { nodes, edges };
  }

  /** Holds a composed component under its key (its tasks are its own now), then forgets what the change says. */
  async hold(key: string, component: Component, forget: readonly string[], slices?: TimeSlices): Promise<void> {
    this.held.delete(key);
    this.held.set(key, component);
    for (const node of component.nodes) {
      this.owner.set(node.id, key);
      if (slices?.due()) await slices.next();
    }
    for (const old of forget) {
      const component = old === key ? undefined : this.held.get(old);
      if (!component) continue;
      this.held.delete(old);
      for (const node of component.nodes) {
        if (this.owner.get(node.id) === old) this.owner.delete(node.id);
        if (slices?.due()) await slices.next();
      }
    }
  }

  /** Both steps at once, as the worker takes a change. */
  async apply(change: ComponentChange): Promise<Component> {
    const component = await this.compose(change);
    await this.hold(change.key, component, change.forget);
    return component;
  }

  clear(): void {
    this.held.clear();
    this.owner.clear();
  }
}

const pairKey = (edge: LayoutEdge) => `${edge.source}\n${edge.target}`;

/**
 * The change that makes `component` from what `held` holds: the held components holding its tasks,
 * less the cards and edges not in it, plus those they lack. Cards and edges are matched as objects
 * first (the layout's input keeps them from one graph to the next, layout-input.ts), and those left
 * over by value (an input made anew: the page's after the one boot.ts planned, or after a lens):
 * `same` maps each held one matched by value to the component's, which the window's copy takes.
 * Linear in the component, in time slices; what it sends is what the edit changed.
 * `fromNothing`: the change from nothing (every card and edge added, in the component's order).
 */
export async function changeFor(
  held: HeldComponents,
  key: string,
  component: Component,
  options: { fromNothing: boolean; forget: string[]; slices?: TimeSlices },
): Promise<{ change: ComponentChange; same: Map<object, object> }> {
  const { fromNothing, forget, slices } = options;
  const change: ComponentChange = { key, from: [], removedNodes: [], addedNodes: [], removedEdges: [], addedEdges: [], forget };
  const same = new Map<object, object>();
  if (fromNothing) {
    change.addedNodes = component.nodes;
    change.addedEdges = component.edges;
    return { change, same };
  }
  const from = new Set<string>();
  for (const node of component.nodes) {
    const base = held.ownerOf(node.id);
    if (base !== undefined) from.add(base);
    if (slices?.due()) await slices.next();
  }
  change.from = [...from];
  const nodes = new Set<LayoutNode>(component.nodes);
  const edges = new Set<LayoutEdge>(component.edges);
  const matched = new Set<LayoutNode | LayoutEdge>();
  const otherNodes: LayoutNode[] = [];
  const otherEdges: LayoutEdge[] = [];
  for (const base of change.from) {
    await held.ownParts(
      base,
      {
        node: (node) => {
          if (nodes.has(node)) matched.add(node);
          else otherNodes.push(node);
        },
        edge: (edge) => {
          if (edges.has(edge)) matched.add(edge);
          else otherEdges.push(edge);
        },
      },
      slices,
    );
  }
  // Those not matched as objects, by value: a card by its id and size, an edge by its ends.
  const nodesById = new Map<string, LayoutNode>();
  for (const node of component.nodes) {
    if (!matched.has(node)) nodesById.set(node.id, node);
    if (slices?.due()) await slices.next();
  }
  for (const node of otherNodes) {
    const now = nodesById.get(node.id);
    if (now && now.width === node.width && now.height === node.height) {
      nodesById.delete(node.id);
      same.set(node, now);
    } else change.removedNodes.push(node.id);
    if (slices?.due()) await slices.next();
  }
  const edgesByPair = new Map<string, LayoutEdge[]>();
  if (otherEdges.length > 0) {
    for (const edge of component.edges) {
      if (!matched.has(edge)) {
        const list = edgesByPair.get(pairKey(edge));
        if (list) list.push(edge);
        else edgesByPair.set(pairKey(edge), [edge]);
      }
      if (slices?.due()) await slices.next();
    }
  }
  for (const edge of otherEdges) {
    const now = edgesByPair.get(pairKey(edge))?.pop();
    if (now) same.set(edge, now);
    else change.removedEdges.push(edge);
    if (slices?.due()) await slices.next();
  }
  const taken = new Set(same.values());
  for (const node of component.nodes) {
    if (!matched.has(node) && !taken.has(node)) change.addedNodes.push(node);
    if (slices?.due()) await slices.next();
  }
  for (const edge of component.edges) {
    if (!matched.has(edge) && !taken.has(edge)) change.addedEdges.push(edge);
    if (slices?.due()) await slices.next();
  }
  return { change, same };
}
