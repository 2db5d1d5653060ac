import { Logger, run } from 'graphile-worker';
import pg from 'pg';

const SCHEMA = 'graphile_worker_bench';

/**
 * The reference for a team's graph on PostgreSQL: graphile-worker, a job queue that fetches a job in one statement.
 * A chain of `length` jobs, each adding the next as its last act, on one worker (concurrency 1, as one coordinator
 * starting a dependent); the gap from one job's end to the next one's start is that queue's done → dependent start:
 * its next fetch (its completion is sent beside it, not waited for). Its schema is made on first use (graphile-worker's
 * migrations), before anything is timed. Runs in this process: the caller does nothing else meanwhile.
 * With `trips` (the delay proxy's count, when the connection goes through it): the round trips per job, counted from the
 * first job's end to the last one's.
 */
export async function graphileChain(
  connectionString: string,
  length: number,
  trips?: () => Promise<number>,
): Promise<{ gaps: number[]; wallMs: number; tripsPerJob?: number }> {
  const starts: number[] = [];
  const ends: number[] = [];
  // Asked for without waiting: the job's end is not held for the answer.
  const counted: Array<Promise<number>> = [];
  const runner = await run({
    connectionString,
    schema: SCHEMA,
    concurrency: 1,
    noHandleSignals: true,
    logger: new Logger(() => () => {}),
    taskList: {
      link: async (payload, helpers) => {
        const at = (payload as { at: number }).at;
        starts[at] = performance.now();
        if (at + 1 < length) await helpers.addJob('link', { at: at + 1 });
        ends[at] = performance.now();
        if (trips && (at === 0 || at === length - 1)) counted.push(trips());
      },
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    runner.events.on('job:complete', ({ job }) => {
      if ((job.payload as { at: number }).at === length - 1) resolve();
    });
    runner.events.on('job:error', ({ error }) => reject(error));
  });
  try {
    await runner.addJob('link', { at: 0 });
    await finished;
    // The worker writes a completion without waiting for it, and its stop does not wait either: stopped once the
    // last one is written (a completed job is deleted), or it would be cut off.
    const client = new pg.Client(connectionString);
    await client.connect();
    try {
      while ((await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${SCHEMA}.jobs`)).rows[0]?.n !== 0)
        await new Promise((r) => setTimeout(r, 10));
    } finally {
      await client.end();
    }
  } finally {
    await runner.stop();
  }
  const gaps = Array.from({ length: length - 1 }, (_, i) => (starts[i + 1] as number) - (ends[i] as number));
  const wallMs = (ends[length - 1] as number) - (starts[0] as number);
  if (counted.length < 2) return { gaps, wallMs };
  const [first = 0, last = 0] = await Promise.all(counted);
  return { gaps, wallMs, tripsPerJob: (last - first) / (length - 1) };
}
