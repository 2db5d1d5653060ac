import type { LayoutInput } from './layout-types';

export interface Component {
  nodes: LayoutInput['nodes'];
  edges: LayoutInput['edges'];
}

/**
 * Splits the graph into weakly connected components, in the order their first node appears.
 * Each component is laid out on its own: dagre's cost grows faster than linearly with size.
 */
export function connectedComponents(input: LayoutInput): Component[] {
  const parent = new Map<string, string>();
  for (const node of input.nodes) parent.set(node.id, node.id);
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    // Path compression keeps later finds O(1)-ish.
    let current = id;
    while (current !== root) {
      const next = parent.get(current) ?? root;
      parent.set(current, root);
      current = next;
    }
    return root;
  };
  const edges = input.edges.filter((edge) => parent.has(edge.source) && parent.has(edge.target));
  for (const edge of edges) {
    const a = find(edge.source);
    const b = find(edge.target);
    if (a !== b) parent.set(b, a);
  }
  const byRoot = new Map<string, Component>();
  for (const node of input.nodes) {
    const root = find(node.id);
    let component = byRoot.get(root);
    if (!component) {
      component = { nodes: [], edges: [] };
      byRoot.set(root, component);
    }
    component.nodes.push(node);
  }
  for (const edge of edges) byRoot.get(find(edge.source))?.edges.push(edge);
  return [...byRoot.values()];
}
