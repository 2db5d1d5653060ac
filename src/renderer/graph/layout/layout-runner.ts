import { connectedComponents, type Component } from './connected-components';
import { layeredLayout, quickLayout } from './layered-layout';
import {
  assemble,
  cachedLayout,
  isComplete,
  planLayout,
  rememberLayout,
  type LayoutPlan,
  type PendingComponent,
  type PlanOptions,
} from './layout-graph';
import { changeFor, HeldComponents } from './held-components';
import { packPrevious, transferables, unpackLayout, type LayoutRequest, type LayoutResponse } from './layout-protocol';
import { inThreadWorker } from './serve-layout';
import { changeTransferables, postedChange } from './posted-change';
import { TimeSlices } from '../../scheduling/time-slices';
import type { ComponentLayout, GraphLayout, LayoutInput, XY } from './layout-types';
import { loadLayouts, openLayoutStore } from './layout-store';
import { errorText } from '../../../shared/errors';
import { KeptLayoutInputs } from './layout-input';

const MAX_WORKERS = 4;
/** When the workers fail, a component up to this size is laid out by the engine in the window (quickly); a bigger one by the fallback. */
const ENGINE_IN_WINDOW_UP_TO = 300;

interface RunOptions extends PlanOptions {
  /**
   * The picture so far while a big layout is computed: placeholders for the parts not laid out
   * yet, every part already in its final place. Called at most every PROGRESS_INTERVAL_MS.
   */
  onProgress?: (layout: GraphLayout) => void;
  /**
   * Every component this run lays out has been handed to its worker (or none needed one): what the
   * window does next no longer delays the workers' start (boot.ts tells the window of the first
   * graph only then, so its first render runs beside the layout, not before it).
   */
  onSent?: () => void;
}

export interface LayoutRunner {
  /**
   * The window's layout input, kept from one graph to the next: boot.ts makes the first graph's
   * with it before the window has loaded, and the graph page keeps it from there (one build of a
   * 50,000-task plan's input, not one each).
   */
  readonly input: KeptLayoutInputs;
  /** Resolves with the layout, or null if a newer request replaced this one. */
  run(input: LayoutInput, options?: RunOptions): Promise<GraphLayout | null>;
  /** Start the workers now (while the graph is still loading) so the first layout does not wait for them. */
  warm(): void;
  dispose(): void;
}

export type WorkerFactory = () => Worker;

/** A worker of the pool, with the window's copy of the components it holds. */
interface PoolWorker {
  worker: Worker;
  mirror: HeldComponents;
  /** The changes sent to it, one after the other (each is made from what the ones before left held). */
  queue: Promise<unknown>;
  /** It answered with a failure: what it holds is not known, so the next change starts it from nothing. */
  clearNext: boolean;
}

/** A worker holds the components it was sent last, up to this many (an edit of one of them sends only what changed). */
const HOLD_LIMIT = 64;

const createLayoutWorker: WorkerFactory = () =>
  new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'graph-layout' });

/**
 * One core is left to the window: it renders the first components while the rest are laid out,
 * and a worker per core would slow both.
 */
const defaultPoolSize = () =>
  Math.max(1, Math.min(MAX_WORKERS, (typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2) - 1));

/**
 * Lays out graphs in a small pool of Web Workers (layered-layout.ts), one connected component per message, those where work happens first. Where there
 * are no workers (tests) they run in this thread; when the workers fail, see `recover`.
 * Only the newest request matters; components already being laid out are shared with it.
 */
export function createLayoutRunner(
  factory: WorkerFactory | null = typeof Worker === 'undefined' ? null : createLayoutWorker,
  poolSize: number = defaultPoolSize(),
): LayoutRunner {
  let pool: PoolWorker[] | null = null;
  let nextId = 0;
  let nextWorker = 0;
  let latest = 0;
  const waiting = new Map<number, (response: LayoutResponse) => void>();
  // Components being laid out, by structure: a newer request for the same structure (the graph
  // page asking for the layout boot.ts started while the app loaded) waits for them, not again.
  const inFlight = new Map<string, Promise<ComponentLayout>>();
  // Where a worker said to put a component it was sent with the picture, by key (see PackedLayout.corner).
  const corners = new Map<string, XY>();
  // Why the workers failed (for the console: the window says it in plain words), once they have.
  let failure: string | null = null;

  /** A worker that cannot load (blocked, missing file) fails everything waiting; what follows is laid out as `recover` says. */
  const abandonPool = (reason: string) => {
    for (const { worker } of pool ?? []) worker.terminate();
    pool = null;
    failure ??= reason;
    for (const [id, resolve] of waiting) resolve({ id, error: reason });
    waiting.clear();
  };

  const ensurePool = (): PoolWorker[] | null => {
    if (pool || failure !== null) return pool;
    const make = factory ?? inThreadWorker;
    try {
      pool = Array.from({ length: factory ? poolSize : 1 }, () => {
        const worker = make();
        worker.onmessage = (message: MessageEvent<LayoutResponse>) => {
          const resolve = waiting.get(message.data.id);
          waiting.delete(message.data.id);
          resolve?.(message.data);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          abandonPool(event.message || 'the layout worker failed to start');
        };
        return { worker, mirror: new HeldComponents(), queue: Promise.resolve(), clearNext: false };
      });
    } catch (error) {
      failure ??= errorText(error);
      pool = null;
    }
    return pool;
  };

  /**
   * A component to a worker, as the change of what that worker holds (an edited component: its
   * components before, less and plus what the edit changed); one sent to be laid out in its own
   * order (no picture) as the change from nothing. The window's copy of what the worker holds
   * follows each change in the order sent.
   */
  const inWorker = async (
    to: PoolWorker,
    key: string,
    component: Component,
    previous: GraphLayout | undefined,
    posted: () => void,
  ): Promise<ComponentLayout> => {
    const sent = to.queue.then(async () => {
      const slices = new TimeSlices();
      const held = to.mirror.keys();
      const forget = held.slice(0, Math.max(0, held.length + 1 - HOLD_LIMIT));
      const clear = to.clearNext;
      to.clearNext = false;
      const { change, same } = await changeFor(to.mirror, key, component, { fromNothing: !previous || clear, forget, slices });
      if (clear) change.clear = true;
      const composed = await to.mirror.compose(change, slices, same);
      const packed = previous ? await packPrevious(composed, previous, slices) : undefined;
      const id = ++nextId;
      const answer = new Promise<LayoutResponse>((resolve) => waiting.set(id, resolve));
      const told = await postedChange(change, slices);
      const request: LayoutRequest = { id, change: told, previous: packed };
      // The change's sizes and the picture's arrays move to the worker (not copied on this thread).
      to.worker.postMessage(request, [...changeTransferables(told), ...(packed ? transferables(packed) : [])]);
      posted();
      await to.mirror.hold(key, composed, forget, slices);
      return { answer, composed };
    });
    to.queue = sent.catch(() => undefined);
    // A change that failed before it was posted is posted never: what waits for it waits no more.
    void sent.catch(posted);
    const { answer, composed } = await sent;
    const response = await answer;
    if ('layout' in response) {
      if (response.layout.corner) corners.set(key, response.layout.corner);
      return unpackLayout(composed, response.layout);
    }
    // What the worker holds is no longer known: it forgets everything with the next change.
    to.mirror.clear();
    to.clearNext = true;
    throw new Error(`layout failed: ${response.error}`);
  };

  /** The worker holding most of an edited component, else the next in turn. */
  const workerFor = (workers: PoolWorker[], component: Component, previous?: GraphLayout): PoolWorker => {
    const first = component.nodes[0]?.id;
    const holding = previous && first !== undefined ? workers.find((worker) => worker.mirror.ownerOf(first) !== undefined) : undefined;
    return holding ?? (workers[nextWorker++ % workers.length] as PoolWorker);
  };

  // Layouts drawn with the fallback, by key: said on screen.
  const fallbacks = new Set<string>();

  /**
   * A worker that failed: the component is laid out here, never with anything that could block
   * the window for long: a small one by the engine itself (milliseconds: the same picture, nothing
   * to say), a big one as quick columns (linear), which the picture says. Neither is kept for the
   * next session (layOut).
   */
  const recover = (key: string, component: Component, error: unknown): ComponentLayout => {
    failure ??= errorText(error);
    console.warn(`layout: ${failure}`);
    if (component.nodes.length <= ENGINE_IN_WINDOW_UP_TO) return layeredLayout(component);
    fallbacks.add(key);
    return quickLayout(component);
  };

  const layOut = ({ key, component, previous }: PendingComponent, posted: () => void): Promise<ComponentLayout> => {
    const running = inFlight.get(key);
    if (running) {
      posted();
      return running;
    }
    const workers = ensurePool();
    const job = workers
      ? inWorker(workerFor(workers, component, previous), key, component, previous, posted).catch((error: unknown) =>
          recover(key, component, error),
        )
      : Promise.resolve(recover(key, component, failure));
    if (!workers) posted();
    inFlight.set(key, job);
    job.then(
      (layout) => {
        // A worker keeps what it laid out for the next session itself (packing a 50,000-task plan's
        // layout for IndexedDB was a long task of the window's); a fallback is not kept.
        rememberLayout(key, layout, false);
        inFlight.delete(key);
      },
      () => inFlight.delete(key),
    );
    return job;
  };

  // The last plan: the graph page asks again for the layout boot.ts started (the same graph, as
  // another object), and planning a big graph again would cost the window as much again.
  let lastPlan: { input: LayoutInput; previous: GraphLayout | null; plan: Promise<LayoutPlan> } | null = null;
  const planFor = (input: LayoutInput, options: RunOptions): Promise<LayoutPlan> => {
    const previous = options.previous ?? null;
    if (lastPlan && lastPlan.previous === previous && sameInput(lastPlan.input, input)) return lastPlan.plan;
    const plan = planLayout(input, options);
    lastPlan = { input, previous, plan };
    return plan;
  };

  /** The picture with a word on what is drawn with the fallback, if anything is. */
  const withNotice = (plan: LayoutPlan, layout: GraphLayout): GraphLayout => {
    // By group, not by what this run laid out: a fallback cached by an earlier run still shows.
    const simple = plan.groups.filter((group) => fallbacks.has(group.key));
    if (simple.length === 0) return layout;
    const tasks = simple.reduce((sum, group) => sum + group.ids.length, 0);
    return {
      ...layout,
      notice: `The layout could not be computed in the background, so ${tasks.toLocaleString()} tasks are shown with a simpler layout.`,
    };
  };

  return {
    input: new KeptLayoutInputs(),
    async run(input, options = {}) {
      const ticket = ++latest;
      try {
        return await runPlan(ticket, input, options);
      } catch (error) {
        // Something in this thread failed (never a reason to leave "Laying out…" up for good).
        return ticket === latest ? simpleLayout(input, error) : null;
      }
    },
    warm() {
      ensurePool();
      openLayoutStore();
    },
    dispose() {
      for (const { worker } of pool ?? []) worker.terminate();
      pool = null;
      waiting.clear();
      inFlight.clear();
    },
  };

  async function runPlan(ticket: number, input: LayoutInput, options: RunOptions): Promise<GraphLayout | null> {
    const plan = await planFor(input, options);
    const computed = new Map<string, ComponentLayout>();
    let shown: GraphLayout | null = null;
    let finished = false;
    // One picture assembled at a time (in time slices): each keeps the corners of the one before.
    let assembling: Promise<unknown> = Promise.resolve();
    // A picture still scheduled when the whole layout is done must not replace it.
    const current = () => ticket === latest && !finished;
    const report = options.onProgress
      ? progressReporter(current, () => {
          const next = assembling.then(async () => {
            if (!current()) return;
            shown = await assemble(plan, computed, shown);
            if (current()) options.onProgress?.(withNotice(plan, shown));
          });
          assembling = next;
          return next;
        })
      : null;
    // Laid out since the plan was made (a plan used again), or kept from an earlier session: no
    // layout needed (a project reopens as it was left).
    for (const { key } of plan.pending) {
      const known = cachedLayout(key);
      if (known) computed.set(key, known);
    }
    const unknown = plan.pending.filter((pending) => !computed.has(pending.key));
    const stored = unknown.length > 0 ? await loadLayouts(unknown.map((pending) => pending.key)) : new Map<string, ComponentLayout>();
    for (const [key, layout] of stored) {
      rememberLayout(key, layout, false);
      computed.set(key, layout);
    }
    const pending = unknown.filter((component) => !stored.has(component.key));
    let unsent = pending.length;
    const posted = () => {
      if (--unsent === 0) options.onSent?.();
    };
    if (unsent === 0) options.onSent?.();
    if (pending.length > 0) report?.();
    // Components are sent in priority order; each worker takes its messages in turn.
    await Promise.all(
      pending.map(async (pending) => {
        computed.set(pending.key, await layOut(pending, once(posted)));
        const corner = corners.get(pending.key);
        corners.delete(pending.key);
        const group = corner ? plan.groups.find((planned) => planned.key === pending.key) : undefined;
        if (group) group.corner = corner;
        if (ticket === latest) report?.();
      }),
    );
    finished = true;
    if (ticket !== latest) return null;
    await assembling;
    const layout = await assemble(plan, computed, shown);
    if (ticket !== latest) return null;
    if (!isComplete(layout)) console.warn('layout: some components are missing');
    return withNotice(plan, layout);
  }
}

/** `call`, the first time only. */
function once(call: () => void): () => void {
  let called = false;
  return () => {
    if (called) return;
    called = true;
    call();
  };
}

/** The same cards and dependencies, in the same order (linear: a plan is not). */
function sameInput(a: LayoutInput, b: LayoutInput): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length || a.gridColumns !== b.gridColumns) return false;
  for (let i = 0; i < a.nodes.length; i++) {
    const p = a.nodes[i] as LayoutInput['nodes'][number];
    const q = b.nodes[i] as LayoutInput['nodes'][number];
    if (p.id !== q.id || p.width !== q.width || p.height !== q.height) return false;
  }
  for (let i = 0; i < a.edges.length; i++) {
    const p = a.edges[i] as LayoutInput['edges'][number];
    const q = b.edges[i] as LayoutInput['edges'][number];
    if (p.source !== q.source || p.target !== q.target) return false;
  }
  return true;
}

/**
 * The graph in quick columns (quickLayout: linear, nothing in it grows with depth or size), with a
 * notice: what the window shows when laying it out failed in this thread.
 */
export async function simpleLayout(input: LayoutInput, error: unknown): Promise<GraphLayout> {
  console.warn(`layout: ${errorText(error)}`);
  const plan: LayoutPlan = { singles: [], groups: [], pending: [], previous: null };
  const computed = new Map<string, ComponentLayout>();
  (await connectedComponents(input)).forEach((component, index) => {
    if (component.edges.length === 0) {
      for (const node of component.nodes) plan.singles.push(node);
      return;
    }
    const key = `simple:${index}`;
    const ids = component.nodes.map((node) => node.id);
    const layout = quickLayout(component);
    computed.set(key, layout);
    plan.groups.push({ anchor: ids.reduce((first, id) => (id < first ? id : first)), key, ids, estimate: layout });
  });
  return {
    ...(await assemble(plan, computed, null)),
    notice: `The layout could not be computed, so ${input.nodes.length.toLocaleString()} tasks are shown with a simpler layout.`,
  };
}

/** After the first partial picture, further ones at most this often (each re-renders the canvas). */
const PROGRESS_INTERVAL_MS = 300;

/**
 * Reports the picture when it grew: the first time on the next frame, later at most every
 * PROGRESS_INTERVAL_MS, so the first part is painted at once and the window is not kept busy
 * re-rendering a growing canvas while the rest is laid out.
 */
function progressReporter(current: () => boolean, report: () => Promise<void>): () => void {
  let scheduled = false;
  let lastReport = -Infinity;
  const nextFrame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 16);
  const run = () => {
    scheduled = false;
    if (!current()) return;
    lastReport = performance.now();
    void report();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastReport + PROGRESS_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(() => nextFrame(run), wait);
    else nextFrame(run);
  };
}
