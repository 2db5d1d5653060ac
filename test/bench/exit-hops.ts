/**
 * `npx tsx test/bench/exit-hops.ts PREFIX`: where a shell chain's gap goes (one task's last act → its dependent's
 * first), hop by hop, from `bench:team-network` run with HOPS=… (PREFIX.trace: the coordinator's hops, recorded by
 * run-hops-recorder.cjs; PREFIX.samples.json: each gap's two stamps).
 *
 * For each gap, every hop the coordinator published between its two stamps, numbered in its order (the second round
 * trip is `d-sql 2`); printed is each hop's median time from the end stamp and how many gaps had it, in the order of
 * those medians, with the statements of each round trip as the first gap sent them.
 */
import { percentile } from './percentiles';
import { readTracedRun } from './run-hops-trace';

interface Sample {
  task: string;
  endedUs: number;
  startedUs: number;
}
const { prefix, samples, lines } = readTracedRun<Sample>('exit-hops.ts');

const offsets = new Map<string, number[]>();
const statements = new Map<string, string>();
for (const s of samples) {
  const seen = new Map<string, number>();
  for (const line of lines) {
    if (line.at < s.endedUs || line.at > s.startedUs) continue;
    const nth = (seen.get(line.event) ?? 0) + 1;
    seen.set(line.event, nth);
    const name = nth === 1 ? line.event : `${line.event} ${nth}`;
    offsets.set(name, [...(offsets.get(name) ?? []), (line.at - s.endedUs) / 1000]);
    if (line.event === 'd-sql' && !statements.has(name)) statements.set(name, line.key);
  }
  offsets.set('command starts', [...(offsets.get('command starts') ?? []), (s.startedUs - s.endedUs) / 1000]);
}
console.log(`${prefix}: ${samples.length} gaps; ms from a task's last act`);
const rows = [...offsets].map(([name, values]) => ({ name, values, median: percentile(values, 50) }));
for (const { name, values, median } of rows.sort((a, b) => a.median - b.median)) {
  const what = statements.get(name);
  console.log(
    `  ${name.padEnd(16)} p50 ${median.toFixed(2).padStart(7)}  p90 ${percentile(values, 90).toFixed(2).padStart(7)}  (n=${values.length})${what ? `  ${what.slice(0, 150)}` : ''}`,
  );
}
