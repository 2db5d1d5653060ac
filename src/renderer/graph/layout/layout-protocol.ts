import type { Component } from './connected-components';
import type { PostedChange } from './posted-change';
import type { PreviousPicture } from './derive-layout';
import type { ComponentLayout } from './layout-types';
import type { EdgeRoutes, GraphLayout, LayoutPositions, XY } from './layout-types';
import { TimeSlices } from '../../scheduling/time-slices';

/**
 * Messages between the window and a layout worker: one component in, its layout out. The worker
 * keeps the components it was sent, and each is told as a change of those it holds
 * (held-components.ts): an edit sends what it changed, not the component. With `previous` (a big
 * component edited), the worker first tries to keep the picture on screen (derive-layout.ts) and
 * lays the component out again only when that cannot be done.
 */
export interface LayoutRequest {
  id: number;
  /**
   * The component, under its structure key (the worker keeps its layout under it for the next session,
   * layout-store.ts), as posted (posted-change.ts).
   */
  change: PostedChange;
  /** In the order of the component the change makes. */
  previous?: PackedPrevious;
}

/**
 * The part of the picture on screen a component's derivation reads, as flat arrays (transferred):
 * x, y per node in the request's node order (NaN: not on screen), routes per edge as in
 * PackedLayout (none: no route), and per node the index of the group it was in (-1: none).
 */
export interface PackedPrevious {
  positions: Float64Array;
  starts: Int32Array;
  points: Float64Array;
  groups: Int32Array;
}

/**
 * A component's layout as flat numbers, transferred (not copied) to the window: the structured
 * clone of 10,000 position objects and 20,000 routes is a long task of the window's thread to
 * read; these arrays cost nothing to receive.
 * `positions`: x, y per node in the request's node order; routes: per edge in the request's edge
 * order, its points' x, y from `points[2 * starts[e]]` to `points[2 * starts[e + 1]]`.
 */
export interface PackedLayout {
  positions: Float64Array;
  starts: Int32Array;
  points: Float64Array;
  width: number;
  height: number;
  /**
   * Sent with a picture: where to put the component so that most of its cards stay where they
   * were in it (alignedCorner, worked out in the worker: over a 50,000-card component it is a long
   * task of the window's).
   */
  corner?: XY;
}

export type LayoutResponse = { id: number; layout: PackedLayout } | { id: number; error: string };

export function packLayout(component: Component, layout: ComponentLayout): PackedLayout {
  const positions = new Float64Array(2 * component.nodes.length);
  component.nodes.forEach((node, i) => {
    const p = layout.positions[node.id];
    positions[2 * i] = p?.x ?? 0;
    positions[2 * i + 1] = p?.y ?? 0;
  });
  const starts = new Int32Array(component.edges.length + 1);
  let count = 0;
  component.edges.forEach((edge, e) => {
    starts[e] = count;
    count += layout.routes[`${edge.source}->${edge.target}`]?.length ?? 0;
  });
  starts[component.edges.length] = count;
  const points = new Float64Array(2 * count);
  component.edges.forEach((edge, e) => {
    const route = layout.routes[`${edge.source}->${edge.target}`] ?? [];
    route.forEach((p, k) => {
      points[2 * ((starts[e] as number) + k)] = p.x;
      points[2 * ((starts[e] as number) + k) + 1] = p.y;
    });
  });
  return { positions, starts, points, width: layout.width, height: layout.height };
}

/** The layout a worker sent, as objects again, in time slices (a 50,000-task plan's is a long task otherwise). */
export async function unpackLayout(component: Component, packed: PackedLayout): Promise<ComponentLayout> {
  const slices = new TimeSlices();
  const positions: LayoutPositions = {};
  for (let i = 0; i < component.nodes.length; i++) {
    positions[(component.nodes[i] as Component['nodes'][number]).id] = {
      x: packed.positions[2 * i] as number,
      y: packed.positions[2 * i + 1] as number,
    };
    if (slices.due()) await slices.next();
  }
  const routes: EdgeRoutes = {};
  for (let e = 0; e < component.edges.length; e++) {
    const from = packed.starts[e] as number;
    const to = packed.starts[e + 1] as number;
    if (to === from) continue;
    const route: XY[] = [];
    for (let k = from; k < to; k++) route.push({ x: packed.points[2 * k] as number, y: packed.points[2 * k + 1] as number });
    const edge = component.edges[e] as Component['edges'][number];
    routes[`${edge.source}->${edge.target}`] = route;
    if (slices.due()) await slices.next();
  }
  return { positions, routes, width: packed.width, height: packed.height };
}

/** What a packed layout transfers (its buffers move to the window instead of being copied). */
export const transferables = (packed: PackedLayout | PackedPrevious): ArrayBuffer[] =>
  [
    packed.positions.buffer,
    packed.starts.buffer,
    packed.points.buffer,
    ...('groups' in packed ? [packed.groups.buffer] : []),
  ] as ArrayBuffer[];

/** The picture on screen for one component, for a worker to derive its new layout from (linear, in time slices). */
export async function packPrevious(component: Component, layout: GraphLayout, slices = new TimeSlices()): Promise<PackedPrevious> {
  const index = new Map<string, number>();
  for (let i = 0; i < component.nodes.length; i++) index.set((component.nodes[i] as Component['nodes'][number]).id, i);
  const positions = new Float64Array(2 * component.nodes.length).fill(Number.NaN);
  const groups = new Int32Array(component.nodes.length).fill(-1);
  for (let g = 0; g < layout.groups.length; g++) {
    for (const id of (layout.groups[g] as GraphLayout['groups'][number]).ids) {
      const i = index.get(id);
      if (i !== undefined) groups[i] = g;
      if (slices.due()) await slices.next();
    }
  }
  for (let i = 0; i < component.nodes.length; i++) {
    const p = layout.positions[(component.nodes[i] as Component['nodes'][number]).id];
    if (p) {
      positions[2 * i] = p.x;
      positions[2 * i + 1] = p.y;
    }
    if (slices.due()) await slices.next();
  }
  const routes: XY[][] = [];
  for (const edge of component.edges) {
    routes.push(layout.routes[`${edge.source}->${edge.target}`] ?? []);
    if (slices.due()) await slices.next();
  }
  const starts = new Int32Array(component.edges.length + 1);
  let count = 0;
  routes.forEach((route, e) => {
    starts[e] = count;
    count += route.length;
  });
  starts[component.edges.length] = count;
  const points = new Float64Array(2 * count);
  for (let e = 0; e < routes.length; e++) {
    let at = 2 * (starts[e] as number);
    for (const p of routes[e] as XY[]) {
      points[at++] = p.x;
      points[at++] = p.y;
    }
    if (slices.due()) await slices.next();
  }
  return { positions, starts, points, groups };
}

/** The picture packPrevious packed, read in the worker. */
export function unpackPrevious(component: Component, packed: PackedPrevious): PreviousPicture {
  const index = new Map(component.nodes.map((node, i) => [node.id, i]));
  const edgeIndex = new Map(component.edges.map((edge, e) => [`${edge.source}->${edge.target}`, e]));
  return {
    position(id) {
      const i = index.get(id);
      const x = i === undefined ? Number.NaN : (packed.positions[2 * i] as number);
      return Number.isNaN(x) ? undefined : { x, y: packed.positions[2 * (i as number) + 1] as number };
    },
    route(key) {
      const e = edgeIndex.get(key);
      if (e === undefined) return undefined;
      const from = packed.starts[e] as number;
      const to = packed.starts[e + 1] as number;
      if (to === from) return undefined;
      const route: XY[] = [];
      for (let k = from; k < to; k++) route.push({ x: packed.points[2 * k] as number, y: packed.points[2 * k + 1] as number });
      return route;
    },
    group(id) {
      const i = index.get(id);
      const group = i === undefined ? -1 : (packed.groups[i] as number);
      return group < 0 ? undefined : group;
    },
  };
}
