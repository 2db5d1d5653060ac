import { TimeSlices } from '../../scheduling/time-slices';
import type { LayoutInput } from './layout-types';

export interface Component {
  nodes: LayoutInput['nodes'];
  edges: LayoutInput['edges'];
}

/**
 * Splits the graph into weakly connected components, in the order their first node appears.
 * Each component is laid out on its own: dagre's cost grows faster than linearly with size.
 * Union-find over node indices in a typed array (with string keys in Maps it took a 50,000-task
 * plan a long task of the window's thread), in time slices.
 */
export async function connectedComponents(input: LayoutInput, slices = new TimeSlices()): Promise<Component[]> {
  const index = new Map<string, number>();
  for (let i = 0; i < input.nodes.length; i++) {
    index.set((input.nodes[i] as LayoutInput['nodes'][number]).id, i);
    if (slices.due()) await slices.next();
  }
  const parent = new Int32Array(input.nodes.length);
  for (let i = 0; i < parent.length; i++) parent[i] = i;
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] as number;
    // Path compression keeps later finds O(1)-ish.
    for (let current = i; current !== root; ) {
      const next = parent[current] as number;
      parent[current] = root;
      current = next;
    }
    return root;
  };
  const edges: Array<{ edge: LayoutInput['edges'][number]; source: number }> = [];
  for (const edge of input.edges) {
    const source = index.get(edge.source);
    const target = index.get(edge.target);
    if (slices.due()) await slices.next();
    if (source === undefined || target === undefined) continue;
    edges.push({ edge, source });
    const a = find(source);
    const b = find(target);
    if (a !== b) parent[b] = a;
  }
  const byRoot = new Map<number, Component>();
  for (let i = 0; i < input.nodes.length; i++) {
    const root = find(i);
    let component = byRoot.get(root);
    if (!component) {
      component = { nodes: [], edges: [] };
      byRoot.set(root, component);
    }
    component.nodes.push(input.nodes[i] as LayoutInput['nodes'][number]);
    if (slices.due()) await slices.next();
  }
  for (const { edge, source } of edges) {
    byRoot.get(find(source))?.edges.push(edge);
    if (slices.due()) await slices.next();
  }
  return [...byRoot.values()];
}
