import type { TimeSlices } from '../../scheduling/time-slices';
import type { ComponentChange } from './held-components';
import type { LayoutInput } from './layout-types';

type LayoutNode = LayoutInput['nodes'][number];
type LayoutEdge = LayoutInput['edges'][number];

/**
 * A change of what a layout worker holds (held-components.ts) as it is posted to the worker: the cards' ids and
 * the edges' ends as one JSON text per list, the cards' sizes in one array of numbers (its buffer moves to the
 * worker). The structured clone of a 10,000-task plan's first change (10,000 cards and 20,000 edges, an object
 * each) was a long task of the window's thread, in the postMessage alone (126 ms under load 7); a text is copied
 * whole, and the lists it is made from are read in time slices.
 */
export interface PostedChange {
  key: string;
  from: string[];
  forget: string[];
  clear?: boolean;
  /** JSON: the removed cards' ids. */
  removedNodes: string;
  /** JSON: the added cards' ids; their width and height in `addedSizes`, two numbers each, in the same order. */
  addedNodes: string;
  addedSizes: Float64Array;
  /** JSON: each edge's source and target in turn. */
  removedEdges: string;
  addedEdges: string;
}

/** The change as posted (its lists read in time slices). */
export async function postedChange(change: ComponentChange, slices?: TimeSlices): Promise<PostedChange> {
  const ids: string[] = [];
  const addedSizes = new Float64Array(2 * change.addedNodes.length);
  for (let i = 0; i < change.addedNodes.length; i++) {
    const node = change.addedNodes[i] as LayoutNode;
    ids.push(node.id);
    addedSizes[2 * i] = node.width;
    addedSizes[2 * i + 1] = node.height;
    if (slices?.due()) await slices.next();
  }
  const posted: PostedChange = {
    key: change.key,
    from: change.from,
    forget: change.forget,
    removedNodes: JSON.stringify(change.removedNodes),
    addedNodes: JSON.stringify(ids),
    addedSizes,
    removedEdges: JSON.stringify(await edgeEnds(change.removedEdges, slices)),
    addedEdges: JSON.stringify(await edgeEnds(change.addedEdges, slices)),
  };
  if (change.clear) posted.clear = true;
  return posted;
}

/** The change a worker was posted, as the worker holds it. */
export function receivedChange(posted: PostedChange): ComponentChange {
  const ids = JSON.parse(posted.addedNodes) as string[];
  const change: ComponentChange = {
    key: posted.key,
    from: posted.from,
    forget: posted.forget,
    removedNodes: JSON.parse(posted.removedNodes) as string[],
    addedNodes: ids.map((id, i) => ({ id, width: posted.addedSizes[2 * i] as number, height: posted.addedSizes[2 * i + 1] as number })),
    removedEdges: edgesOf(JSON.parse(posted.removedEdges) as string[]),
    addedEdges: edgesOf(JSON.parse(posted.addedEdges) as string[]),
  };
  if (posted.clear) change.clear = true;
  return change;
}

/** What a posted change moves to the worker rather than copies. */
export const changeTransferables = (posted: PostedChange): ArrayBuffer[] => [posted.addedSizes.buffer as ArrayBuffer];

async function edgeEnds(edges: readonly LayoutEdge[], slices?: TimeSlices): Promise<string[]> {
  const ends: string[] = [];
  for (const edge of edges) {
    ends.push(edge.source, edge.target);
    if (slices?.due()) await slices.next();
  }
  return ends;
}

function edgesOf(ends: readonly string[]): LayoutEdge[] {
  const edges: LayoutEdge[] = [];
  for (let i = 0; i + 1 < ends.length; i += 2) edges.push({ source: ends[i] as string, target: ends[i + 1] as string });
  return edges;
}
