import { STATE_KINDS, type StateKind, type TaskState } from '../../task-state/task-state';
import type { CanvasColours } from '../../theme/theme-colours';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { Box, LayoutGroup, XY } from '../layout/layout-types';
import { clusterLabel, type Measure } from './cluster-label';
import { countParts, type Cluster, type ClusterLink, type StateCounts } from './clusters';
import { ClusterWorkLists } from './cluster-work';
import type { Scene, SceneEdge } from './scene';
import { StraightRuns } from './straight-runs';
import { intersects } from './spatial-index';
import { fitTitle, LINE, MIN_TITLE_SIZE, TITLE_SIZES, type TitleFit, withEllipsis } from './title-fit';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
  width: number;
  height: number;
}

export interface OverviewData {
  scene: Scene;
  /** Whether the picture's routes are all drawn (use-routes-drawn.ts): compact cards are drawn without edges until then. */
  routesDrawn: boolean;
  /** The zoom below which clusters are drawn (levelAt). */
  clustersUpTo?: number;
  titles: ReadonlyMap<string, string>;
  states: ReadonlyMap<string, TaskState>;
  satisfied: (source: string) => boolean;
  selected: string | null;
  colours: CanvasColours;
  /** The layout's groups, or one per tag: drawn in order, so later ones lie over earlier ones. */
  clusters: readonly LayoutGroup[];
  clusterNames: ReadonlyMap<string, string>;
  clusterCounts: () => ReadonlyMap<string, StateCounts>;
  /** A tag cluster under the pointer: its tasks are drawn where they are, linked to its box. */
  hovered?: Cluster | null;
  /** Dependencies between clusters, one per pair with its count (by tag or state): drawn instead of every edge. */
  clusterLinks?: () => readonly ClusterLink[];
}

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
/** Below this on-screen card width a compact card is only its colour (and its title a tooltip). */
const TITLE_MIN_CARD_PX = 56;

function visibleRect(view: Viewport): Box {
  return { x: -view.x / view.zoom, y: -view.y / view.zoom, width: view.width / view.zoom, height: view.height / view.zoom };
}

/** Compact cards: a card's colour, a state bar, and its title at a readable size; edges as thin lines. */
export function drawCompact(ctx: CanvasRenderingContext2D, view: Viewport, data: OverviewData, wrapCache: Map<string, TitleFit>): void {
  const rect = visibleRect(view);
  const { colours, scene } = data;
  const px = 1 / view.zoom;
  ctx.lineWidth = 1.3 * px;
  // Legs are drawn apart (compactEdges): round ends close each bend as a round join did.
  ctx.lineCap = 'round';
  const { open, done } = compactEdges(data.routesDrawn ? scene.queryEdges(rect) : [], data.satisfied, rect, px / 2);
  ctx.strokeStyle = colours.edge;
  ctx.stroke(open);
  ctx.strokeStyle = colours.edgeDone;
  ctx.stroke(done);
  ctx.lineCap = 'butt';

  const ids = scene.queryNodes(rect);
  const positions = scene.layout.positions;
  const bar = Math.max(6, 4 * px);
  ctx.fillStyle = colours.cardBg;
  for (const id of ids) {
    const p = positions[id];
    if (p) ctx.fillRect(p.x, p.y, CARD_WIDTH, CARD_HEIGHT);
  }
  ctx.lineWidth = px;
  ctx.strokeStyle = colours.cardLine;
  if (view.zoom > 0.2) {
    for (const id of ids) {
      const p = positions[id];
      if (p) ctx.strokeRect(p.x, p.y, CARD_WIDTH, CARD_HEIGHT);
    }
  }
  for (const id of ids) {
    const p = positions[id];
    const state = data.states.get(id);
    if (!p || !state) continue;
    ctx.fillStyle = colours.state[state.kind];
    ctx.fillRect(p.x, p.y, bar, CARD_HEIGHT);
    // A band along the top says the state from afar.
    ctx.globalAlpha = 0.22;
    ctx.fillRect(p.x, p.y, CARD_WIDTH, Math.min(CARD_HEIGHT, 10 * px));
    ctx.globalAlpha = 1;
  }
  if (data.selected) {
    const p = positions[data.selected];
    if (p) {
      ctx.lineWidth = 3 * px;
      ctx.strokeStyle = colours.selected;
      ctx.strokeRect(p.x - 2 * px, p.y - 2 * px, CARD_WIDTH + 4 * px, CARD_HEIGHT + 4 * px);
    }
  }
  // Titles in the room a card has on screen, on as many lines as fit, at one size for most cards
  // (the largest at which nearly every title of the graph is whole: a calm picture that does not
  // change size as the view pans), a smaller one for a title that needs it, cut at the end only
  // where no size holds it (the tooltip has it whole).
  const room = { width: quantise(CARD_WIDTH * view.zoom - (bar / px + 8)), height: quantise(CARD_HEIGHT * view.zoom - 3) };
  if (CARD_WIDTH * view.zoom < TITLE_MIN_CARD_PX || room.height < MIN_TITLE_SIZE * LINE) return;
  const common = commonTitleSize(data.titles, room);
  ctx.fillStyle = colours.text;
  ctx.textBaseline = 'top';
  const padding = bar + 3 * px;
  let font = '';
  for (const id of ids) {
    const p = positions[id];
    const title = data.titles.get(id);
    if (!p || title === undefined) continue;
    const key = `${room.width}:${room.height}:${id}`;
    let fit = wrapCache.get(key);
    if (!fit) {
      fit = fitTitle(title, room, common, measureTitle);
      if (wrapCache.size > 20_000) wrapCache.clear();
      wrapCache.set(key, fit);
    }
    if (fit.lines.length === 0) continue;
    const wanted = `600 ${fit.size * px}px ${FONT}`;
    if (font !== wanted) {
      ctx.font = wanted;
      font = wanted;
    }
    const size = fit.size;
    fit.lines.forEach((line, index) => {
      ctx.fillText(line, p.x + padding, p.y + 2 * px + index * size * LINE * px);
    });
  }
}

/**
 * The edges' paths, open and satisfied, as legs: each straight leg that edges share drawn once (lines closer than `grid`
 * as one), and only its part in `rect` (StraightRuns). A hub's thousands of edges all run along the gap beside it, and drawn whole, one by one, they
 * were thousands of long lines over each other for the canvas to stroke.
 */
function compactEdges(
  edges: Iterable<SceneEdge>,
  satisfied: (source: string) => boolean,
  rect: Box,
  grid: number,
): { open: Path2D; done: Path2D } {
  const parts = { open: { runs: new StraightRuns(grid), path: new Path2D() }, done: { runs: new StraightRuns(grid), path: new Path2D() } };
  for (const edge of edges) {
    const { runs, path } = satisfied(edge.source) ? parts.done : parts.open;
    for (let i = 1; i < edge.points.length; i++) {
      const from = edge.points[i - 1] as XY;
      const to = edge.points[i] as XY;
      if (runs.add(from, to)) continue;
      path.moveTo(from.x, from.y);
      path.lineTo(to.x, to.y);
    }
  }
  const right = rect.x + rect.width;
  const bottom = rect.y + rect.height;
  for (const { runs, path } of [parts.open, parts.done]) {
    for (const { at: y, from, to } of runs.across()) {
      if (y < rect.y || y > bottom || to < rect.x || from > right) continue;
      path.moveTo(Math.max(from, rect.x), y);
      path.lineTo(Math.min(to, right), y);
    }
    for (const { at: x, from, to } of runs.down()) {
      if (x < rect.x || x > right || to < rect.y || from > bottom) continue;
      path.moveTo(x, Math.max(from, rect.y));
      path.lineTo(x, Math.min(to, bottom));
    }
  }
  return { open: parts.open.path, done: parts.done.path };
}

/** Room is measured in steps of 2 px, so zooming by a little reuses the wrapped titles. */
const quantise = (pixels: number) => Math.max(0, Math.floor(pixels / 2) * 2);

/** Per graph (its titles), how wide its longer titles are at the largest size: the 90th percentile of a sample. */
const TITLE_WIDTHS = new WeakMap<ReadonlyMap<string, string>, number>();
const SAMPLE = 1000;

/**
 * The size most compact cards' titles are drawn at in this room: the largest whose lines hold the
 * graph's longer titles (90th percentile, with room lost to wrapping), so nearly all are whole at
 * one size, the same wherever the view is. Measured at the largest size and taken as proportional
 * to the size at the others (measuring a 50,000-task plan's sample at each of the four sizes was a
 * task of 230 ms at its first compact frame, most of it measuring characters in four fonts).
 */
function commonTitleSize(titles: ReadonlyMap<string, string>, room: { width: number; height: number }): number {
  const largest = TITLE_SIZES[0];
  let widest = TITLE_WIDTHS.get(titles);
  if (widest === undefined) {
    const every = Math.max(1, Math.floor(titles.size / SAMPLE));
    const sample: number[] = [];
    let index = 0;
    for (const title of titles.values()) if (index++ % every === 0) sample.push(measureTitle(largest, title));
    sample.sort((a, b) => a - b);
    widest = sample[Math.floor(0.9 * (sample.length - 1))] ?? 0;
    TITLE_WIDTHS.set(titles, widest);
  }
  for (const size of TITLE_SIZES) {
    const lines = Math.floor(room.height / (size * LINE));
    if (lines >= 1 && lines * room.width * WRAP_SHARE >= (widest * size) / largest) return size;
  }
  return MIN_TITLE_SIZE;
}

/** How much of a card's lines a wrapped title fills on average (words do not fill a line to its end). */
const WRAP_SHARE = 0.8;

/**
 * A title's width at a size, in screen pixels: the sum of its characters' widths, each measured
 * once per size. Measuring every candidate line with measureText cost a long task
 * whenever zooming changed the room of a few hundred compact cards; kerning is left out, and the
 * room is taken a little narrower for it.
 */
const CHAR_MEASURES = new Map<number, Measure>();
function measureTitle(size: number, text: string): number {
  let measure = CHAR_MEASURES.get(size);
  if (!measure) {
    measure = measurer(`600 ${size}px ${FONT}`);
    CHAR_MEASURES.set(size, measure);
  }
  let total = 0;
  for (const char of text) total += measure(char);
  return total;
}

/** One box per group with its name, counts per state and a bar of their shares. */
export function drawClusters(ctx: CanvasRenderingContext2D, view: Viewport, data: OverviewData): void {
  const { colours } = data;
  const px = 1 / view.zoom;
  const rect = visibleRect(view);
  const counts = data.clusterCounts();
  const labels: Box[] = [];
  ctx.textBaseline = 'top';
  // Under the boxes (their fill lets it through), so their names and counts stay readable.
  // Only where its tasks are on screen: clusters set in rows may lie far from them.
  if (data.hovered?.opens && intersects(data.hovered.opens, rect)) drawHovered(ctx, view, data, data.hovered);
  // Under the boxes too, which hide where an arrow crosses one: their names stay readable.
  const links = data.clusterLinks?.() ?? [];
  const counted = links.length > 0 ? drawLinks(ctx, view, data, links) : [];
  for (const group of data.clusters) {
    const { box } = group;
    if (box.x > rect.x + rect.width || box.y > rect.y + rect.height || box.x + box.width < rect.x || box.y + box.height < rect.y) continue;
    if (links.length > 0) {
      ctx.fillStyle = colours.canvasBg;
      ctx.fillRect(box.x, box.y, box.width, box.height);
    }
    ctx.fillStyle = colours.clusterBg;
    ctx.fillRect(box.x, box.y, box.width, box.height);
    ctx.lineWidth = 1.5 * px;
    ctx.strokeStyle = colours.clusterLine;
    if (group.pending) ctx.setLineDash([6 * px, 4 * px]);
    ctx.strokeRect(box.x, box.y, box.width, box.height);
    ctx.setLineDash([]);
    const entry = counts.get(group.anchor);
    const total = group.ids.length;
    const barHeight = Math.min(box.height / 3, 8 * px);
    if (entry && total > 0) {
      let x = box.x;
      for (const kind of STATE_KINDS) {
        if (entry[kind] === 0) continue;
        const width = (entry[kind] / total) * box.width;
        ctx.fillStyle = colours.state[kind];
        ctx.fillRect(x, box.y, width, barHeight);
        x += width;
      }
    }
    // Named from about "Stage 12"'s width: a plan's stages drawn where their cards are are as narrow as their columns.
    if (box.width * view.zoom < 56) continue;
    const size = 13 * px;
    const name = data.clusterNames.get(group.anchor) ?? group.anchor;
    const parts = group.pending ? [`${total} tasks, laying out…`] : entry ? countParts(entry) : [];
    // Wrapped in screen pixels (the text is drawn at a fixed size on screen, whatever the zoom).
    const room = { width: box.width * view.zoom - 12, height: (box.height - barHeight) * view.zoom - 10 };
    const text = clusterLabel(name, parts, room, LINE_HEIGHTS, MEASURE);
    // Nested boxes share a corner: a label moves down below those drawn.
    const label = {
      x: box.x,
      y: box.y + barHeight + 5 * px,
      width: box.width,
      height: (text.name.length * LINE_HEIGHTS.name + text.detail.length * LINE_HEIGHTS.detail) * px,
    };
    for (let moved = true; moved; ) {
      moved = false;
      for (const other of labels) {
        if (!intersects(label, other)) continue;
        label.y = other.y + other.height + 3 * px;
        moved = true;
      }
    }
    labels.push(label);
    let y = label.y;
    ctx.fillStyle = colours.text;
    ctx.font = `600 ${size}px ${FONT}`;
    for (const line of text.name) {
      ctx.fillText(line, box.x + 6 * px, y);
      y += LINE_HEIGHTS.name * px;
    }
    if (text.detail.length === 0) continue;
    // What needs a look (running, failed, blocked, needs you) in its state's colour, the rest muted
    // (the same font the lines were wrapped with, so each part lands where the wrap measured it).
    ctx.font = `${12 * px}px ${FONT}`;
    for (const line of text.detail) {
      let x = box.x + 6 * px;
      for (const [index, part] of line.split(SEPARATOR).entries()) {
        if (index > 0) {
          ctx.fillStyle = colours.muted;
          ctx.fillText(SEPARATOR, x, y);
          x += MEASURE.detail(SEPARATOR) * px;
        }
        const kind = URGENT_COUNTS.get(part.replace(/^[\d,]+ /, ''));
        ctx.fillStyle = kind ? colours.state[kind] : colours.muted;
        ctx.fillText(part, x, y);
        x += MEASURE.detail(part) * px;
      }
      y += LINE_HEIGHTS.detail * px;
    }
    if (!group.pending)
      drawWorkNames(ctx, px, data, group, { x: box.x + 6 * px, y: y + 6 * px, bottom: box.y + box.height - 4 * px, width: room.width });
  }
  drawCounts(ctx, view, data, counted);
}

const workLists = new ClusterWorkLists();

/**
 * Under a box's counts, as many as fit of the tasks in it a person acts on (cluster-work.ts), one a line: a dot in its
 * state's colour and its title cut to the box; "+N more" where they do not all fit.
 */
function drawWorkNames(
  ctx: CanvasRenderingContext2D,
  px: number,
  data: OverviewData,
  group: LayoutGroup,
  at: { x: number; y: number; bottom: number; width: number },
): void {
  const line = LINE_HEIGHTS.detail * px;
  const lines = Math.floor((at.bottom - at.y) / line);
  if (lines < 1) return;
  const work = workLists.of(group, data.states);
  if (work.total === 0) return;
  const shown = work.total <= lines ? work.ids.slice(0, lines) : work.ids.slice(0, lines - 1);
  const dot = 3 * px;
  const indent = 12;
  ctx.font = `${12 * px}px ${FONT}`;
  let y = at.y;
  for (const id of shown) {
    const kind = data.states.get(id)?.kind;
    ctx.fillStyle = kind ? data.colours.state[kind] : data.colours.muted;
    ctx.beginPath();
    ctx.arc(at.x + dot, y + line / 2 - px, dot, 0, 2 * Math.PI);
    ctx.fill();
    ctx.fillStyle = data.colours.text;
    ctx.fillText(cutToWidth(data.titles.get(id) ?? id, at.width - indent), at.x + indent * px, y);
    y += line;
  }
  if (shown.length < work.total) {
    ctx.fillStyle = data.colours.muted;
    ctx.fillText(`+${(work.total - shown.length).toLocaleString()} more`, at.x + indent * px, y);
  }
}

/** Titles cut to a width, by the width in steps of 8 px (a zoom moves the boxes' widths on every frame). */
const cuts = new Map<string, string>();

/** The text as it fits `width` screen pixels at the detail size: whole, or cut with an ellipsis. */
function cutToWidth(text: string, width: number): string {
  const room = Math.floor(width / 8) * 8;
  const key = `${room}|${text}`;
  const known = cuts.get(key);
  if (known !== undefined) return known;
  const cut = MEASURE.detail(text) <= room ? text : withEllipsis(text, room, MEASURE.detail);
  if (cuts.size > 2000) cuts.clear();
  cuts.set(key, cut);
  return cut;
}

/**
 * The dependencies between clusters, aggregated: one arrow per pair of clusters, from the border of
 * the one depended on to the border of the one that depends, as thick as the log of how many
 * dependencies it stands for, with that count written on it.
 */
interface CountLabel {
  x: number;
  y: number;
  text: string;
}

function drawLinks(ctx: CanvasRenderingContext2D, view: Viewport, data: OverviewData, links: readonly ClusterLink[]): CountLabel[] {
  const px = 1 / view.zoom;
  const boxes = new Map(data.clusters.map((group) => [group.anchor, group.box]));
  ctx.strokeStyle = data.colours.edge;
  ctx.fillStyle = data.colours.edge;
  const labels: CountLabel[] = [];
  for (const link of links) {
    const from = boxes.get(link.from);
    const to = boxes.get(link.to);
    if (!from || !to) continue;
    const a = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    const b = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
    const start = border(a, b, from);
    const end = border(b, a, to);
    const length = Math.hypot(end.x - start.x, end.y - start.y);
    if (length < 4 * px) continue;
    const width = (1.5 + 1.5 * Math.log2(link.count)) * px;
    const ux = (end.x - start.x) / length;
    const uy = (end.y - start.y) / length;
    const head = Math.min(length / 3, (10 + width / px) * px);
    ctx.globalAlpha = 0.75;
    ctx.lineWidth = width;
    ctx.beginPath();
    ctx.moveTo(start.x, start.y);
    ctx.lineTo(end.x - ux * head * 0.8, end.y - uy * head * 0.8);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(end.x, end.y);
    ctx.lineTo(end.x - ux * head - uy * head * 0.55, end.y - uy * head + ux * head * 0.55);
    ctx.lineTo(end.x - ux * head + uy * head * 0.55, end.y - uy * head - ux * head * 0.55);
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    // A count only where the arrow is long enough on screen to carry it, and not where a box hides it.
    const middle = { x: (start.x + end.x) / 2, y: (start.y + end.y) / 2 };
    const hidden = data.clusters.some(
      ({ box }) => middle.x > box.x && middle.x < box.x + box.width && middle.y > box.y && middle.y < box.y + box.height,
    );
    if (length * view.zoom >= 56 && !hidden) labels.push({ ...middle, text: link.count.toLocaleString() });
  }
  return labels;
}

/** The arrows' counts, last, on a patch of the canvas's colour, so no line crosses them. */
function drawCounts(ctx: CanvasRenderingContext2D, view: Viewport, data: OverviewData, labels: readonly CountLabel[]): void {
  const px = 1 / view.zoom;
  ctx.font = `600 ${11 * px}px ${FONT}`;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  for (const label of labels) {
    const width = ctx.measureText(label.text).width + 8 * px;
    ctx.fillStyle = data.colours.canvasBg;
    ctx.fillRect(label.x - width / 2, label.y - 8 * px, width, 16 * px);
    ctx.fillStyle = data.colours.text;
    ctx.fillText(label.text, label.x, label.y);
  }
  ctx.textAlign = 'start';
  ctx.textBaseline = 'top';
}

/** Where the line from `inside` (a box's centre) towards `towards` leaves the box. */
function border(inside: XY, towards: XY, box: Box): XY {
  const dx = towards.x - inside.x;
  const dy = towards.y - inside.y;
  const t = Math.min(dx === 0 ? Infinity : box.width / 2 / Math.abs(dx), dy === 0 ? Infinity : box.height / 2 / Math.abs(dy), 1);
  return { x: inside.x + dx * t, y: inside.y + dy * t };
}

/**
 * A tag cluster's box is drawn near its tasks, not on them: under the pointer, its tasks are shown
 * where they are (a block each in its state's colour), the area they cover outlined, and a line
 * from the box to that area.
 */
function drawHovered(ctx: CanvasRenderingContext2D, view: Viewport, data: OverviewData, cluster: Cluster): void {
  const { opens, box, ids } = cluster;
  if (!opens) return;
  const px = 1 / view.zoom;
  const { positions } = data.scene.layout;
  // Faint: the boxes' names and counts are written over them.
  ctx.globalAlpha = 0.5;
  for (const id of ids) {
    const p = positions[id];
    const kind = data.states.get(id)?.kind;
    if (!p || !kind) continue;
    ctx.fillStyle = data.colours.state[kind];
    ctx.fillRect(p.x, p.y, CARD_WIDTH, CARD_HEIGHT);
  }
  ctx.globalAlpha = 1;
  ctx.strokeStyle = data.colours.selected;
  ctx.lineWidth = 2 * px;
  ctx.setLineDash([6 * px, 4 * px]);
  const pad = 8 * px;
  ctx.strokeRect(opens.x - pad, opens.y - pad, opens.width + 2 * pad, opens.height + 2 * pad);
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.moveTo(box.x + box.width / 2, box.y + box.height / 2);
  ctx.lineTo(opens.x + opens.width / 2, opens.y + opens.height / 2);
  ctx.stroke();
}

const LINE_HEIGHTS = { name: 13 * 1.35, detail: 12 * 1.25 };
const SEPARATOR = ' · ';
/** The counts drawn in their state's colour at cluster zoom (by their words, as countParts writes them). */
const URGENT_COUNTS = new Map<string, StateKind>([
  ['running', 'running'],
  ['failed', 'failed'],
  ['blocked', 'blocked'],
  ['need you', 'needs-you'],
]);
/** Widths of the labels' texts at their size on screen, measured once each (the same counts recur). */
const MEASURE = { name: measurer(`600 13px ${FONT}`), detail: measurer(`12px ${FONT}`) };

function measurer(font: string): Measure {
  const widths = new Map<string, number>();
  let ctx: CanvasRenderingContext2D | null = null;
  return (text) => {
    let width = widths.get(text);
    if (width === undefined) {
      ctx ??= document.createElement('canvas').getContext('2d');
      if (!ctx) return text.length * 7;
      ctx.font = font;
      width = ctx.measureText(text).width;
      if (widths.size > 5000) widths.clear();
      widths.set(text, width);
    }
    return width;
  };
}
