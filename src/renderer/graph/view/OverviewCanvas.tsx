import { useStoreApi } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { drawClusters, drawCompact, type OverviewData, type Viewport } from './draw-overview';
import type { TitleFit } from './title-fit';
import { levelAt } from './zoom-levels';

/**
 * The graph below card zoom, drawn on one canvas under React Flow's (transparent) pane: compact
 * cards, then clusters. Redrawn on the next frame after the view or the data changes, without
 * React: panning at any zoom costs one draw of what is on screen.
 */
export function OverviewCanvas({ data }: { data: OverviewData }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const store = useStoreApi();
  // What the next frame draws: the draw loop reads it from here, so new data does not restart the loop.
  const latest = useRef(data);
  const wrapCache = useRef({ titles: data.titles, lines: new Map<string, TitleFit>() });
  const schedule = useRef<() => void>(() => undefined);

  useEffect(() => {
    let frame = 0;
    let last = '';
    const draw = () => {
      frame = 0;
      const element = canvas.current;
      const ctx = element?.getContext('2d');
      if (!element || !ctx) return;
      const { transform, width, height } = store.getState();
      const [x, y, zoom] = transform;
      const level = levelAt(zoom, latest.current.clustersUpTo);
      // At card zoom the canvas is empty: cleared once, not on every frame of a pan.
      if (level === 'cards' && element.dataset.level === 'cards') return;
      if (level === 'cards') {
        // Emptied by holding no pixels: a canvas the size of the view cleared was made and filled on the page's
        // thread, in the task that showed the first cards (20–60 ms a 1280×700 canvas under load, before it).
        element.width = 0;
        element.height = 0;
        element.dataset.level = level;
        return;
      }
      const ratio = window.devicePixelRatio || 1;
      if (element.width !== Math.round(width * ratio) || element.height !== Math.round(height * ratio)) {
        element.width = Math.round(width * ratio);
        element.height = Math.round(height * ratio);
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, element.width, element.height);
      element.dataset.level = level;
      if (width === 0) return;
      ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);
      const view: Viewport = { x, y, zoom, width, height };
      const current = latest.current;
      if (wrapCache.current.titles !== current.titles) wrapCache.current = { titles: current.titles, lines: new Map() };
      if (level === 'compact') drawCompact(ctx, view, current, wrapCache.current.lines);
      else drawClusters(ctx, view, current);
    };
    // Asked for once the running task's callbacks are done: a view moved from another frame callback (the view's
    // animation moves it in one) asks for its draw after that callback has asked for its own next step, so that the
    // draw comes after the step, in the same frame, and draws where the step left the view. Asked for at once, it came
    // first, and drew the view one step behind the cards: at the end of a flight, a compact picture the cards replaced
    // in that same frame (60–90 ms of the page's thread beside a fan's hub).
    let live = true;
    schedule.current = () => {
      if (frame !== 0) return;
      frame = -1;
      queueMicrotask(() => {
        if (live) frame = requestAnimationFrame(draw);
      });
    };
    const unsubscribe = store.subscribe((state) => {
      const key = `${state.transform.join(',')}|${state.width}|${state.height}`;
      if (key === last) return;
      last = key;
      schedule.current();
    });
    schedule.current();
    return () => {
      live = false;
      unsubscribe();
      cancelAnimationFrame(frame);
    };
  }, [store]);

  useEffect(() => {
    latest.current = data;
    schedule.current();
  }, [data]);

  // biome-ignore lint/a11y/noAriaHiddenOnFocusable: Biome counts every <canvas> as focusable; without a tabIndex this one takes no focus
  return <canvas ref={canvas} className="overview-canvas" aria-hidden="true" data-testid="overview-canvas" />;
}
