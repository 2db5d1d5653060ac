import { useEffect, useRef, useState } from 'react';
import { neverDue, type Steps, toEnd } from '../../../shared/steps';
import { inBackground, restInSlices, TimeSlices } from '../../scheduling/time-slices';
import { type BundleBands, bundleBandSteps } from './bundle-bands';
import type { SceneEdge } from './scene';

/** A bundle's bands: its open edges' and its satisfied edges'. */
export interface Bands {
  open: BundleBands;
  done: BundleBands;
}

interface Made {
  edges: ReadonlySet<SceneEdge>;
  satisfied: unknown;
  bands: Bands;
}

/**
 * Bundles of up to this many edges are cut into bands in the render that draws them; bigger ones in background time
 * slices: going to a fan's hub cut its 10,000 edges in the frame that showed its cards, 40–60 ms of a frame of 100 ms.
 */
const AT_ONCE = 1_000;

/**
 * The bands of a bundle's edges (bundleBands), split by whether each edge's dependency is satisfied. The same edges as
 * last time (the view moved along a hub's edges) keep the same bands. A big new bundle is cut in background slices,
 * and until it is, the bands cut last stay drawn (none at the first); null while there are none.
 */
export function useBundleBands(edges: readonly SceneEdge[], satisfied: (source: string) => boolean): Bands | null {
  const last = useRef<Made | null>(null);
  const [, setCut] = useState(0);
  const isNow = (made: Made | null): made is Made =>
    made !== null && made.satisfied === satisfied && made.edges.size === edges.length && edges.every((edge) => made.edges.has(edge));
  if (!isNow(last.current) && edges.length <= AT_ONCE) last.current = cut(edges, satisfied);
  // biome-ignore lint/correctness/useExhaustiveDependencies: isNow reads the same edges and satisfied this effect depends on
  useEffect(() => {
    if (isNow(last.current)) return;
    let live = true;
    void inBackground(async () => {
      const slices = new TimeSlices();
      const bands = await restInSlices(
        bandSteps(edges, satisfied, () => slices.due()),
        slices,
        () => live,
      );
      if (!bands || !live) return;
      last.current = { edges: new Set(edges), satisfied, bands };
      setCut((count) => count + 1);
    });
    return () => {
      live = false;
    };
  }, [edges, satisfied]);
  return last.current?.bands ?? null;
}

function cut(edges: readonly SceneEdge[], satisfied: (source: string) => boolean): Made {
  return { edges: new Set(edges), satisfied, bands: toEnd(bandSteps(edges, satisfied, neverDue)) };
}

function* bandSteps(edges: readonly SceneEdge[], satisfied: (source: string) => boolean, due: () => boolean): Steps<Bands> {
  const open: Array<SceneEdge['points']> = [];
  const done: Array<SceneEdge['points']> = [];
  for (const edge of edges) (satisfied(edge.source) ? done : open).push(edge.points);
  return { open: yield* bundleBandSteps(open, due), done: yield* bundleBandSteps(done, due) };
}
