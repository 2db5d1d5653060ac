import { readFileSync } from 'node:fs';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** What a test file writes in a comment when most of its time is spent waiting in real time (see below). */
const WAITS_MARK = '@waits';

/** The part of their run of files (which goes first) over which the waiting files start. */
const SPREAD_OVER = 0.5;

/**
 * The order files reach the workers: Vitest's own (project after project; in each, failed first, then the longest by
 * its cache, else the largest), in runs of files a worker can run one after another, the project holding waiting
 * files first, with those started over the first half of its files.
 *
 * Runs: a worker that has finished a file takes the next file only if it is of the same project and environment
 * (Vitest's pool looks at the head of the queue); any other file gets a new worker, which loads its modules again.
 * In Vitest's order the unit layer's 21 happy-dom files came among its node files by size, and 225 unit files took
 * 35 workers; kept together, they take 12 (six for each environment).
 *
 * Waiting files (marked WAITS_MARK): such a file holds a worker for minutes while a lease or a stall timeout runs out,
 * and uses almost no CPU: the twelve longest integration files, these among them, took 73 CPU-seconds in 117 s started
 * together on workers of their own. In Vitest's order they started together and the machine idled: 130 s of the whole
 * run at 4–20% CPU, while the unit and browser layers waited in the queue. Spread out, they wait beside files that
 * work. Over the first half only, so that none of them starts near the end and becomes the run's tail.
 */
export class SpreadWaits extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const runs = inRuns(await super.sort(files), (file) => `${file.project.name} ${environmentOf(file)}`);
    const waiting = runs.filter((run) => run.some(isWaiting));
    const working = runs.filter((run) => !run.some(isWaiting));
    return [
      ...waiting.flatMap((run) =>
        spreadOut(
          run.filter((file) => !isWaiting(file)),
          run.filter(isWaiting),
        ),
      ),
      ...working.flat(),
    ];
  }
}

/** `items` in runs of one key each: the runs in the order their keys first come, each run's items in theirs. */
export function inRuns<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const runs = new Map<string, T[]>();
  for (const item of items) {
    const run = runs.get(key(item));
    if (run) run.push(item);
    else runs.set(key(item), [item]);
  }
  return [...runs.values()];
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

const texts = new Map<string, string>();

function textOf(file: TestSpecification): string {
  let text = texts.get(file.moduleId);
  if (text === undefined) {
    text = readFileSync(file.moduleId, 'utf8');
    texts.set(file.moduleId, text);
  }
  return text;
}

function isWaiting(file: TestSpecification): boolean {
  return textOf(file).includes(WAITS_MARK);
}

/** The environment a file runs in: its own `@vitest-environment` comment's, else its project's. */
function environmentOf(file: TestSpecification): string {
  return /@vitest-environment\s+(\S+)/.exec(textOf(file))?.[1] ?? file.project.config.environment;
}
