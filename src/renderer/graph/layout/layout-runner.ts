import type { ComponentLayout } from './dagre-layout';
import {
  finishLayout,
  layoutGraph,
  placeReady,
  planLayout,
  rememberLayout,
  type LayoutPlan,
  type PendingComponent,
} from './layout-graph';
import type { LayoutRequest, LayoutResponse } from './layout-protocol';
import type { LayoutInput, LayoutPositions } from './layout-types';

/** Graphs up to this size are laid out synchronously: faster than a round trip to a worker. */
export const WORKER_ABOVE = 250;
const MAX_WORKERS = 4;

export interface LayoutRunner {
  /**
   * Resolves with the positions, or null if a newer request replaced this one. `onProgress`, if
   * given, receives the final positions of the part laid out so far (see placeReady).
   */
  run(input: LayoutInput, onProgress?: (positions: LayoutPositions) => void): Promise<LayoutPositions | null>;
  /** Start the workers now (while the graph is still loading) so the first layout does not wait for them. */
  warm(): void;
  dispose(): void;
}

export type WorkerFactory = () => Worker;

export const createLayoutWorker: WorkerFactory = () =>
  new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module', name: 'graph-layout' });

/**
 * One core is left to the window: it renders the first components while the rest are laid out,
 * and a worker per core would slow both (on 2 cores, 2 workers made the first cards come later).
 */
const defaultPoolSize = () =>
  Math.max(1, Math.min(MAX_WORKERS, (typeof navigator === 'undefined' ? 2 : navigator.hardwareConcurrency || 2) - 1));

/**
 * Lays out big graphs in a small pool of Web Workers, one connected component per message, handed
 * out in canvas order so the top of the canvas is ready first. Small graphs, and places without
 * workers (tests), are laid out synchronously. Only the newest request matters.
 */
export function createLayoutRunner(
  factory: WorkerFactory | null = typeof Worker === 'undefined' ? null : createLayoutWorker,
  poolSize: number = defaultPoolSize(),
): LayoutRunner {
  let pool: Worker[] | null = null;
  let nextId = 0;
  let nextWorker = 0;
  let latest = 0;
  const waiting = new Map<number, (response: LayoutResponse) => void>();
  // Components being laid out, by signature: a newer request for the same structure (the graph
  // page asking for the layout boot.ts started while the app loaded) waits for them, not again.
  const inFlight = new Map<string, Promise<ComponentLayout>>();

  /** A worker that cannot load (blocked, missing file) fails everything waiting; layouts go synchronous. */
  const abandonPool = (reason: string) => {
    for (const worker of pool ?? []) worker.terminate();
    pool = null;
    factory = null;
    for (const [id, resolve] of waiting) resolve({ id, error: reason });
    waiting.clear();
  };

  const ensurePool = (): Worker[] | null => {
    if (pool || !factory) return pool;
    const make = factory;
    try {
      pool = Array.from({ length: poolSize }, () => {
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
        return worker;
      });
    } catch {
      factory = null;
      pool = null;
    }
    return pool;
  };

  const layOut = (workers: Worker[], pending: PendingComponent, fast: boolean): Promise<ComponentLayout> => {
    const running = inFlight.get(pending.key);
    if (running) return running;
    const worker = workers[nextWorker++ % workers.length] as Worker;
    const job = send(worker, pending, fast);
    inFlight.set(pending.key, job);
    job.then(
      (layout) => {
        rememberLayout(pending.key, layout);
        inFlight.delete(pending.key);
      },
      () => inFlight.delete(pending.key),
    );
    return job;
  };

  const send = (worker: Worker, pending: PendingComponent, fast: boolean) =>
    new Promise<ComponentLayout>((resolve, reject) => {
      const id = ++nextId;
      waiting.set(id, (response) => {
        const layout = 'layouts' in response ? response.layouts[0] : undefined;
        if (layout) resolve(layout);
        else reject(new Error(`layout failed: ${'error' in response ? response.error : 'no result'}`));
      });
      const request: LayoutRequest = { id, fast, components: [pending.component] };
      worker.postMessage(request);
    });

  return {
    async run(input, onProgress) {
      const ticket = ++latest;
      const workers = input.nodes.length > WORKER_ABOVE ? ensurePool() : null;
      if (!workers) return layoutGraph(input);
      const plan = planLayout(input);
      const computed = new Map<string, ComponentLayout>();
      const progress = onProgress ? progressReporter(plan, computed, () => ticket === latest, onProgress) : null;
      // The top of the canvas may already be known (cached, or finished by an earlier request).
      progress?.();
      const lay = async (pending: PendingComponent) => {
        computed.set(pending.key, await layOut(workers, pending, plan.fast));
        progress?.();
      };
      const [top, ...rest] = plan.pending;
      try {
        // The top of the canvas alone first, the rest once it is painted: on a machine with few
        // cores, laying out the rest meanwhile competes with that first paint for the CPU.
        if (top) await lay(top);
        if (rest.length > 0) await afterNextPaint();
        // A newer request (the graph page's, for the same structure) carries on from here.
        if (ticket !== latest) return null;
        await Promise.all(rest.map(lay));
      } catch (error) {
        if (ticket !== latest) return null;
        console.warn(`${error instanceof Error ? error.message : String(error)}; laying out in the window instead`);
        return layoutGraph(input);
      }
      if (ticket !== latest) return null;
      return finishLayout(plan, computed);
    },
    warm() {
      ensurePool();
    },
    dispose() {
      for (const worker of pool ?? []) worker.terminate();
      pool = null;
      waiting.clear();
      inFlight.clear();
    },
  };
}

/** Two frames later (one painted), or 100 ms where frames are not drawn (hidden window, tests). */
function afterNextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    if (typeof requestAnimationFrame !== 'function') return;
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve();
      }),
    );
  });
}

/** After the first partial picture, further ones at most this often (each re-renders the canvas). */
const PROGRESS_INTERVAL_MS = 400;

/**
 * Reports the ready part when it grew: the first time on the next frame, later at most every
 * PROGRESS_INTERVAL_MS, so the top of the graph is painted at once and the window is not kept
 * busy re-rendering a growing canvas (off screen, mostly) while that first frame is drawn.
 */
function progressReporter(
  plan: LayoutPlan,
  computed: ReadonlyMap<string, ComponentLayout>,
  current: () => boolean,
  onProgress: (positions: LayoutPositions) => void,
): () => void {
  let scheduled = false;
  let reported = -1;
  let lastReport = -Infinity;
  const nextFrame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 16);
  const report = () => {
    scheduled = false;
    if (!current()) return;
    const { positions, complete } = placeReady(plan, computed);
    const count = Object.keys(positions).length;
    if (complete || count === 0 || count <= reported) return;
    reported = count;
    lastReport = performance.now();
    onProgress(positions);
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastReport + PROGRESS_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(() => nextFrame(report), wait);
    else nextFrame(report);
  };
}
