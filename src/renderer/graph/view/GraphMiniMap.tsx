import { Panel, useReactFlow, useStoreApi } from '@xyflow/react';
import { useCallback, useEffect, useRef, type PointerEvent } from 'react';
import { STATE_KINDS, type StateKind, type TaskState } from '../../task-state/task-state';
import type { CanvasColours } from '../../theme/theme-colours';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { XY } from '../layout/layout-types';
import { clustersBox, type Cluster, type StateCounts } from './clusters';
import type { Scene } from './scene';

const WIDTH = 200;
const HEIGHT = 130;
const PAD = 6;
/** Status changes redraw the map at most this often (it shows every task). */
const REDRAW_MS = 250;
/** Which state a map cell holding several shows: what most needs a look first. */
const URGENCY: readonly StateKind[] = [
  'needs-you',
  'failed',
  'running',
  'evaluating',
  'blocked',
  'ready',
  'blocked',
  'scheduled',
  'paused',
  'waiting',
  'done',
  'abandoned',
];

interface MiniMapProps {
  scene: Scene;
  states: ReadonlyMap<string, TaskState>;
  colours: CanvasColours;
  onHide: () => void;
  /**
   * At cluster zoom, the clusters the view draws: by tag they are not where their tasks are, so
   * the map draws them (boxes with their states' shares) instead of the tasks. Null at card zoom.
   */
  clusters: readonly Cluster[] | null;
  clusterCounts: () => ReadonlyMap<string, StateCounts>;
  /** Width of the inspector over the right of the canvas: the map sits left of it, not under it. */
  coveredRight: number;
}

/**
 * The whole graph in a corner, as the view draws it: a dot per task in its state's colour (or, at
 * cluster zoom, the clusters), and the part on screen.
 * One canvas (not an element per task), redrawn at most every REDRAW_MS; clicking or dragging
 * in it moves the view there.
 */
export function GraphMiniMap({ scene, states, colours, onHide, clusters, clusterCounts, coveredRight }: MiniMapProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frame = useRef<HTMLDivElement>(null);
  const store = useStoreApi();
  const flow = useReactFlow();
  const bounds = (clusters && clustersBox(clusters)) ?? scene.layout.bounds;
  const scale = Math.min((WIDTH - 2 * PAD) / Math.max(1, bounds.width), (HEIGHT - 2 * PAD) / Math.max(1, bounds.height));
  // The graph centred in the map, whichever way it is longer.
  const left = (WIDTH - bounds.width * scale) / 2;
  const top = (HEIGHT - bounds.height * scale) / 2;
  const { x: boundsX, y: boundsY } = bounds;
  // The same function while the map's geometry is: a new one would redraw the map on every render.
  const toMap = useCallback(
    (x: number, y: number) => ({ x: left + (x - boundsX) * scale, y: top + (y - boundsY) * scale }),
    [left, top, boundsX, boundsY, scale],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      const ctx = canvas.current?.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, WIDTH, HEIGHT);
      if (clusters) {
        drawClusterBoxes(ctx, clusters, clusterCounts(), colours, toMap, scale);
        return;
      }
      for (const group of scene.layout.groups) {
        const a = toMap(group.box.x, group.box.y);
        ctx.fillStyle = colours.clusterBg;
        ctx.fillRect(a.x, a.y, group.box.width * scale, group.box.height * scale);
      }
      const w = Math.max(1.5, CARD_WIDTH * scale);
      const h = Math.max(1.5, CARD_HEIGHT * scale);
      // A big graph puts many cards on one pixel of the map: each map cell is drawn once, in the
      // colour of its most pressing state (10,000 overlapping rectangles were a long task).
      const columns = Math.ceil(WIDTH / w);
      const cells = new Map<number, { p: XY; rank: number; kind: StateKind }>();
      for (const group of scene.layout.groups) {
        for (const id of group.ids) {
          const p = scene.layout.positions[id];
          const kind = states.get(id)?.kind;
          if (!p || !kind) continue;
          const { x, y } = toMap(p.x, p.y);
          const cell = Math.floor(y / h) * columns + Math.floor(x / w);
          const rank = URGENCY.indexOf(kind);
          const there = cells.get(cell);
          if (!there || rank < there.rank) cells.set(cell, { p: { x, y }, rank, kind });
        }
      }
      // One colour at a time: setting fillStyle (a colour to parse) per card cost most of the draw.
      const byKind = new Map<StateKind, XY[]>();
      for (const { p, kind } of cells.values()) {
        const list = byKind.get(kind);
        if (list) list.push(p);
        else byKind.set(kind, [p]);
      }
      for (const [kind, points] of byKind) {
        ctx.fillStyle = colours.state[kind];
        for (const p of points) ctx.fillRect(p.x, p.y, w, h);
      }
    }, REDRAW_MS);
    return () => clearTimeout(timer);
  }, [scene, states, colours, scale, toMap, clusters, clusterCounts]);

  useEffect(() => {
    const place = () => {
      const { transform, width, height } = store.getState();
      const [x, y, zoom] = transform;
      const a = toMap(-x / zoom, -y / zoom);
      const style = frame.current?.style;
      if (!style) return;
      style.transform = `translate(${a.x}px, ${a.y}px)`;
      style.width = `${(width / zoom) * scale}px`;
      style.height = `${(height / zoom) * scale}px`;
    };
    place();
    return store.subscribe(place);
  }, [store, scale, toMap]);

  const moveTo = (event: PointerEvent<HTMLDivElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    const x = bounds.x + (event.clientX - box.left - left) / scale;
    const y = bounds.y + (event.clientY - box.top - top) / scale;
    void flow.setCenter(x, y, { zoom: flow.getZoom() });
  };

  return (
    <Panel position="bottom-right" className="wg-minimap" style={{ right: coveredRight }}>
      <div
        className="wg-minimap-map"
        role="img"
        aria-label="Overview of the whole graph; click to move the view"
        onPointerDown={(event) => {
          event.currentTarget.setPointerCapture(event.pointerId);
          moveTo(event);
        }}
        onPointerMove={(event) => event.buttons === 1 && moveTo(event)}
      >
        <canvas ref={canvas} width={WIDTH} height={HEIGHT} />
        <div ref={frame} className="wg-minimap-frame" />
      </div>
      <button
        type="button"
        className="icon-button wg-minimap-hide"
        aria-label="Hide the overview map"
        title="Hide the overview map"
        onClick={onHide}
      >
        ×
      </button>
    </Panel>
  );
}

/** Each cluster as the view draws it: its box, and along its top its states' shares. */
function drawClusterBoxes(
  ctx: CanvasRenderingContext2D,
  clusters: readonly Cluster[],
  counts: ReadonlyMap<string, StateCounts>,
  colours: CanvasColours,
  toMap: (x: number, y: number) => XY,
  scale: number,
): void {
  ctx.lineWidth = 1;
  for (const { anchor, box, ids } of clusters) {
    const a = toMap(box.x, box.y);
    const width = box.width * scale;
    const height = box.height * scale;
    ctx.fillStyle = colours.clusterBg;
    ctx.fillRect(a.x, a.y, width, height);
    ctx.strokeStyle = colours.clusterLine;
    ctx.strokeRect(a.x, a.y, width, height);
    const entry = counts.get(anchor);
    if (!entry || ids.length === 0) continue;
    let x = a.x;
    for (const kind of STATE_KINDS) {
      if (entry[kind] === 0) continue;
      const share = (entry[kind] / ids.length) * width;
      ctx.fillStyle = colours.state[kind];
      ctx.fillRect(x, a.y, share, Math.max(2, Math.min(4, height / 3)));
      x += share;
    }
  }
}
