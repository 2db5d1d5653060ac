import { useReactFlow, useStoreApi } from '@xyflow/react';
import { type RefObject, useCallback, useEffect, useMemo, useRef } from 'react';
import type { XY } from '../layout/layout-types';
import { overlaysIn } from './canvas-overlays';
import type { Cluster } from './clusters';
import type { Scene } from './scene';
import { viewMoveMs } from './view-motion';
import { stageAtPoint, zoomedAt } from './zoom-into-stage';
import { MAX_ZOOM } from './zoom-levels';

interface StageZoomOptions {
  /** The element around the canvas: its wheel events are looked at before React Flow's. */
  wrapper: RefObject<HTMLElement | null>;
  clusters: readonly Cluster[];
  scene: Scene;
  coveredRight: number;
  /** The person moved the view (a wheel step taken here never reaches React Flow, which would say so). */
  onHand: () => void;
}

export interface StageZoom {
  /**
   * Zooms to `zoom` (given the zoom now) at a point of the window (client pixels; 'middle': the
   * middle of the canvas, as React Flow's Zoom in does), into the stage there (zoom-into-stage.ts).
   */
  zoomAt(at: XY | 'middle', zoom: (now: number) => number, ms: number): void;
}

/** How long a wheel gesture lasts after its last step (d3-zoom's wheel delay is 150 ms), and a margin. */
const GESTURE_MS = 200;

/**
 * Zooming into the stage map comes to the cards of the stage under the pointer (zoom-into-stage.ts):
 * the wheel and a pinch (a wheel with Ctrl, as Chromium sends it) zooming in short of card zoom
 * over a stage, or among its cards where zooming about the pointer would show none of them, are
 * taken here, before React Flow, with the rest of their gesture; Zoom in, a double click and a
 * click on a stage come through `zoomAt`. Everything else (zooming out, zooming in outside the
 * stages or about cards) is React Flow's as before.
 */
export function useStageZoom({ wrapper, clusters, scene, coveredRight, onHand }: StageZoomOptions): StageZoom {
  const flow = useReactFlow();
  const store = useStoreApi();
  const stageAt = useMemo(() => stageAtPoint(clusters, scene), [clusters, scene]);
  const latest = useRef({ stageAt, coveredRight, onHand });
  latest.current = { stageAt, coveredRight, onHand };

  /** The view after a zoom at a point of the canvas, or null where the point is in no stage and the zoom is React Flow's. */
  const zoomedView = useCallback(
    (at: XY, zoom: number) => {
      const { transform, width, height, domNode } = store.getState();
      const [x, y, now] = transform;
      const canvas = { width: Math.max(1, width - latest.current.coveredRight), height, overlays: overlaysIn(domNode) };
      const step = zoomedAt({ x, y, zoom: now }, at, Math.min(MAX_ZOOM, zoom), latest.current.stageAt, canvas);
      return step.pulled ? step.view : null;
    },
    [store],
  );

  const zoomAt = useCallback(
    (at: XY | 'middle', zoom: (now: number) => number, ms: number) => {
      const { transform, width, height, domNode } = store.getState();
      const origin = domNode?.getBoundingClientRect() ?? { left: 0, top: 0 };
      const point = at === 'middle' ? { x: width / 2, y: height / 2 } : { x: at.x - origin.left, y: at.y - origin.top };
      const next = zoom(transform[2]);
      const view = zoomedView(point, next);
      const duration = viewMoveMs(ms);
      if (view) void flow.setViewport(view, duration ? { duration } : undefined);
      else {
        // Not into a stage: the zoom at the point, as React Flow's own zoom would.
        const [x, y, now] = transform;
        const held = { x: (point.x - x) / now, y: (point.y - y) / now };
        const z = Math.min(MAX_ZOOM, Math.max(store.getState().minZoom, next));
        void flow.setViewport({ x: point.x - held.x * z, y: point.y - held.y * z, zoom: z }, duration ? { duration } : undefined);
      }
    },
    [store, flow, zoomedView],
  );

  useEffect(() => {
    const element = wrapper.current;
    if (!element) return;
    // A wheel gesture whose step was taken here stays here until it ends (GESTURE_MS without a step): React Flow zooms
    // each step of a gesture about the point under the pointer when it began (d3-zoom's, which ends 150 ms after its
    // last step), which a step taken here moved. A step React Flow took before is no matter: its gesture ends before
    // this one does, with no step of its own after this one's first.
    let oursUntil = Number.NEGATIVE_INFINITY;
    const onWheel = (event: WheelEvent) => {
      const pane = element.querySelector('.react-flow__renderer');
      const target = event.target;
      if (!pane || !(target instanceof Element) || !pane.contains(target) || target.closest('.nowheel')) return;
      const { transform, minZoom } = store.getState();
      const [x, y, now] = transform;
      const rect = pane.getBoundingClientRect();
      const at = { x: event.clientX - rect.left, y: event.clientY - rect.top };
      const zoom = Math.min(MAX_ZOOM, Math.max(minZoom, now * 2 ** wheelSteps(event)));
      const ours = event.timeStamp < oursUntil;
      const view = zoomedView(at, zoom);
      if (!view && !ours) return;
      event.preventDefault();
      event.stopPropagation();
      oursUntil = event.timeStamp + GESTURE_MS;
      latest.current.onHand();
      const held = { x: (at.x - x) / now, y: (at.y - y) / now };
      void flow.setViewport(view ?? { x: at.x - held.x * zoom, y: at.y - held.y * zoom, zoom });
    };
    element.addEventListener('wheel', onWheel, { capture: true, passive: false });
    return () => element.removeEventListener('wheel', onWheel, { capture: true });
  }, [wrapper, store, flow, zoomedView]);

  return useMemo(() => ({ zoomAt }), [zoomAt]);
}

/** How many doublings of the zoom a wheel event asks for, as React Flow reads it (a pinch on a Mac's trackpad ten times a wheel's). */
function wheelSteps(event: WheelEvent): number {
  const mac = typeof navigator !== 'undefined' && navigator.userAgent.includes('Mac');
  const factor = event.ctrlKey && mac ? 10 : 1;
  return -event.deltaY * (event.deltaMode === 1 ? 0.05 : event.deltaMode ? 1 : 0.002) * factor;
}
