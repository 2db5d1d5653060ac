/** Small helpers shared by the benchmarks: medians and percentiles of timed samples. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export const median = (samples: readonly number[]) => percentile(samples, 50);

/**
 * How long `action` takes, in ms, awaited: the store's calls are async, and a bench that timed only their start measured
 * nothing (store.bench.ts and upstream-sync.bench.ts did, until the store became async).
 */
export async function timeMs(action: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** `action` timed `count` times one after the other (never at once: each waits for the one before). */
export async function timesMs(count: number, action: (index: number) => unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push(await timeMs(() => action(i)));
  return samples;
}

export const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
