import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** What a test file writes in a comment when most of its time is spent waiting in real time (see below). */
const WAITS_MARK = '@waits';

/** The part of the run, from its start, over which the waiting files start. */
const SPREAD_OVER = 0.5;

/**
 * The order files reach the workers: Vitest's own (project after project; in each, failed first, then the longest by
 * its cache, else the largest), with the files marked WAITS_MARK taken out and started one after another over the
 * first half of the run, the longest first. Such a file holds a worker for minutes while a lease or a stall timeout
 * runs out, and uses almost no CPU: the twelve longest integration files, these among them, took 73 CPU-seconds in
 * 117 s started together on workers of their own. In Vitest's order they started together and the machine idled:
 * 130 s of the whole run at 4–20% CPU, while the unit and browser layers waited in the queue. Spread out, they wait
 * beside files that work. Over the first half only, so that none of them starts near the end and becomes the run's tail.
 */
export class SpreadWaits extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return spreadOut(
      sorted.filter((file) => !isWaiting(file)),
      sorted.filter(isWaiting),
    );
  }
}

/** `rest` in its order, with `waits` in theirs put among the first SPREAD_OVER of it at even steps, the first at the start. */
export function spreadOut<T>(rest: readonly T[], waits: readonly T[]): T[] {
  if (waits.length === 0) return [...rest];
  const every = Math.max(1, Math.floor((rest.length * SPREAD_OVER) / waits.length));
  const left = [...waits];
  const order: T[] = [];
  rest.forEach((file, index) => {
    const wait = index % every === 0 ? left.shift() : undefined;
    if (wait !== undefined) order.push(wait);
    order.push(file);
  });
  return [...order, ...left];
}

const marked = new Map<string, boolean>();

function isWaiting(file: TestSpecification): boolean {
  let waits = marked.get(file.moduleId);
  if (waits === undefined) {
    waits = readFileSync(file.moduleId, 'utf8').includes(WAITS_MARK);
    marked.set(file.moduleId, waits);
  }
  return waits;
}
