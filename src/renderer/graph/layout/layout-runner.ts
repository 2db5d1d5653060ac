import type { ComponentLayout } from './dagre-layout';
import { finishLayout, layoutGraph, placeReady, planLayout, type LayoutPlan, type PendingComponent } from './layout-graph';
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

const defaultPoolSize = () =>
  Math.max(1, Math.min(MAX_WORKERS, typeof navigator === 'undefined' ? 1 : navigator.hardwareConcurrency || 2));

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
  let latest = 0;
  const waiting = new Map<number, (response: LayoutResponse) => void>();

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
      try {
        await Promise.all(
          plan.pending.map(async (pending, index) => {
            const worker = workers[index % workers.length] as Worker;
            computed.set(pending.key, await send(worker, pending, plan.fast));
            progress?.();
          }),
        );
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
    },
  };
}

/** Reports the ready part at most once per frame, and only when it grew. */
function progressReporter(
  plan: LayoutPlan,
  computed: ReadonlyMap<string, ComponentLayout>,
  current: () => boolean,
  onProgress: (positions: LayoutPositions) => void,
): () => void {
  let scheduled = false;
  let reported = -1;
  const nextFrame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame : (fn: () => void) => setTimeout(fn, 16);
  return () => {
    if (scheduled) return;
    scheduled = true;
    nextFrame(() => {
      scheduled = false;
      if (!current()) return;
      const { positions, complete } = placeReady(plan, computed);
      const count = Object.keys(positions).length;
      if (complete || count === 0 || count <= reported) return;
      reported = count;
      onProgress(positions);
    });
  };
}
