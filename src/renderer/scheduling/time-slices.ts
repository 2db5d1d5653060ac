import type { Steps } from '../../shared/steps';
/**
 * Long work on the window's thread cut into slices: between two slices the browser handles input
 * and draws frames. A long task makes input wait for it; a slice ends after
 * SLICE_MS, so the work around it (a React render, a frame) still fits under that.
 */
const SLICE_MS = 12;

interface Scheduler {
  yield?: () => Promise<void>;
  postTask?: (task: () => Promise<void>, options: { priority: 'background' }) => Promise<void>;
}

/**
 * Gives the thread back to the browser and resumes in a new task: `scheduler.yield()` where there
 * is one (the continuation goes before other queued tasks), else a zero-delay timer.
 */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `work` once the browser has nothing more pressing: as a background task (`scheduler.postTask`),
 * whose slices (`yieldToMain`) keep that priority, so that a render or a frame waiting goes first;
 * else after a zero-delay timer.
 */
export function inBackground(work: () => Promise<void>): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.postTask === 'function') return scheduler.postTask(work, { priority: 'background' });
  return new Promise<void>((resolve) => setTimeout(resolve, 0)).then(work);
}

/** Time slices of one piece of work: `if (slices.due()) await slices.next()` inside its loops. */
export class TimeSlices {
  private start = performance.now();
  private calls = 0;

  /** This slice has had its time (the clock is read every 32nd call: this is called per item). */
  due(): boolean {
    this.calls = (this.calls + 1) & 31;
    return this.calls === 0 && performance.now() - this.start > SLICE_MS;
  }

  /** The next slice, after the browser had the thread. */
  async next(): Promise<void> {
    await yieldToMain();
    this.start = performance.now();
  }
}

/** Runs steps (shared/steps.ts) to their end in time slices: they pause where a slice is due, and go on in the next. */
export async function inSlices<T>(make: (due: () => boolean) => Steps<T>, slices = new TimeSlices()): Promise<T> {
  const steps = make(() => slices.due());
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await slices.next();
  }
}

/**
 * Runs steps already begun on (their first slice ran in the caller's task) to their end, a slice at a time, each after
 * the browser had the thread; null once no longer wanted (`live`, looked at before each slice), the steps left where
 * they paused.
 */
export async function restInSlices<T>(steps: Steps<T>, slices: TimeSlices, live: () => boolean): Promise<T | null> {
  for (;;) {
    await slices.next();
    if (!live()) return null;
    const step = steps.next();
    if (step.done) return step.value;
  }
}
