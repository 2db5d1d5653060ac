/**
 * `npx tsx test/bench/latency-hops.ts PREFIX`: where the time from a dependency's `done` to its
 * dependent's command goes, hop by hop, from the dispatch bench's latency part run with
 * WG_TRACE_RUNS=… (PREFIX.trace: the coordinator's hops, src/core/timing/run-hops.ts, recorded by run-hops-recorder.cjs;
 * PREFIX.samples.json: when the bench committed each `done` and when the command wrote its start).
 *
 * For each sample: the commit, the first time the coordinator noticed it (its WAL watch or the
 * poke), the wake, the turn that claimed the dependent (its read, decision and commit), the launch
 * (spawn: the launcher called; prepared: its folder, cgroup and files made; started: the process
 * exists), then the command's own start. Prints the median and p90 of each hop that the trace has
 * (an older build writes fewer of them), and of the whole.
 */
import { percentile } from './percentiles';
import { readTracedRun } from './run-hops-trace';

interface Sample {
  task: string;
  committedUs: number;
  startedUs: number;
}
const { prefix, samples, lines } = readTracedRun<Sample>('latency-hops.ts');

/** The first line of `events` at or after `from` (and before `to`), matching `key` when given. */
const first = (events: string[], from: number, to = Infinity, key?: string) =>
  lines.find((l) => l.at >= from && l.at < to && events.includes(l.event) && (key === undefined || l.key === key))?.at;
/** The last line of `event` before `to` and at or after `from`. */
const last = (event: string, from: number, to: number) => lines.findLast((l) => l.at >= from && l.at < to && l.event === event)?.at;

const hops = new Map<string, number[]>();
const add = (name: string, from: number | undefined, to: number | undefined) => {
  if (from === undefined || to === undefined) return;
  hops.set(name, [...(hops.get(name) ?? []), (to - from) / 1000]);
};
for (const s of samples) {
  const commit = lines.find(
    (l) => l.event === 'd-commit' && l.at >= s.committedUs && l.key.split(',').some((pair) => pair.endsWith(`=${s.task}`)),
  );
  if (!commit) continue;
  const agent = commit.key
    .split(',')
    .find((pair) => pair.endsWith(`=${s.task}`))
    ?.split('=')[0];
  const noticed = first(['d-watch', 'd-poke'], s.committedUs, commit.at);
  const woken = first(['d-wake'], s.committedUs, commit.at);
  const turn = last('d-turn', s.committedUs, commit.at);
  const read = last('d-read', s.committedUs, commit.at);
  const decided = last('d-decide', s.committedUs, commit.at);
  const spawn = first(['d-spawn'], commit.at, Infinity, agent);
  const prepared = first(['d-prepared'], commit.at, Infinity, agent);
  const started = first(['d-started'], commit.at, Infinity, agent);
  add('commit → noticed (WAL watch or poke)', s.committedUs, noticed);
  add('noticed → wake', noticed, woken);
  add('wake → turn', woken, turn);
  add('commit → turn', s.committedUs, turn);
  add('turn: read the graph', turn, read);
  add('turn: decide', read, decided);
  add('turn: claim and commit', decided, commit.at);
  add('turn → commit', turn, commit.at);
  add('commit → launcher called', commit.at, spawn);
  add('launcher: folder, cgroup, files', spawn, prepared);
  add('launcher: execa (fork, exec of the wrapper)', prepared, started);
  add('launcher called → process exists', spawn, started);
  add('process exists → command starts', started, s.startedUs);
  add('launcher called → command starts', spawn, s.startedUs);
  add('all: done → command starts', s.committedUs, s.startedUs);
}
console.log(`${prefix}: ${samples.length} samples`);
for (const [name, values] of hops) {
  console.log(
    `  ${name.padEnd(46)} p50 ${percentile(values, 50).toFixed(2).padStart(7)} ms  p90 ${percentile(values, 90).toFixed(2).padStart(7)} ms  (n=${values.length})`,
  );
}
