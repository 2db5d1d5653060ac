/**
 * `npx tsx test/bench/run-trace-report.ts PREFIX`: where a run's time goes, from a trace written
 * with WG_TRACE_RUNS (src/core/timing/run-hops.ts, recorded by run-hops-recorder.cjs; the dispatch bench writes PREFIX.trace and the
 * DAG in PREFIX.dag.json). Prints, over every run of the DAG:
 * - the median and p90 of each hop, from the claim's commit to the settle's commit;
 * - the slots' idle time: from one run's command end to the next command's start in the same slot
 *   (slots are replayed: a claim takes the slot freed longest ago), split into noticing the end,
 *   waiting for a turn, the turn itself, waiting for ready work, and the start;
 * - how many tasks were ready but not claimed, and how many slots were free, over time.
 */
import { readFileSync } from 'node:fs';
import { percentile } from './percentiles';
import { readRunHops } from './run-hops-trace';

const prefix = process.argv[2];
if (!prefix) throw new Error('usage: run-trace-report.ts PREFIX (PREFIX.trace and PREFIX.dag.json)');
const SLOTS = Number(process.env.SLOTS ?? 8);

interface Run {
  task: string;
  hops: Map<string, number>;
  claimed: number;
  turn?: number;
  settled?: number;
}

const runs = new Map<string, Run>();
const byTask = new Map<string, Run>();
const commits: number[] = [];
let turnExits: string[] = [];
let turnAt = 0;
const lines = readRunHops(`${prefix}.trace`);
// The daemon's lines are in its own order (one process, written in order); the others are matched by key.
for (const { at: us, proc, event, key } of lines) {
  if (proc !== 'd' || !['d-turn', 'd-commit'].includes(event)) continue;
  const keys = key === '-' ? [] : key.split(',');
  if (event === 'd-turn') {
    turnExits = keys;
    turnAt = us;
    continue;
  }
  commits.push(us);
  for (const agent of turnExits) {
    const run = runs.get(agent);
    if (run) Object.assign(run, { turn: turnAt, settled: us });
  }
  turnExits = [];
  for (const pair of keys) {
    const [agent = '', task = ''] = pair.split('=');
    const run: Run = { task, hops: new Map(), claimed: us };
    runs.set(agent, run);
    byTask.set(task, run);
  }
}
for (const { at, event, key } of lines) {
  const run = runs.get(key);
  if (run && !run.hops.has(event)) run.hops.set(event, at);
}

const done = [...runs.values()].filter((run) => run.settled !== undefined && run.hops.has('d-started') && run.hops.has('d-ended'));
const ms = (us: number) => us / 1000;
const row = (name: string, values: number[]) => {
  const sum = values.reduce((a, b) => a + b, 0);
  console.log(
    `  ${name.padEnd(44)} p50 ${ms(percentile(values, 50)).toFixed(2).padStart(7)}  p90 ${ms(percentile(values, 90)).toFixed(2).padStart(7)}  total ${(ms(sum) / 1000).toFixed(2).padStart(6)} s`,
  );
};
const hop = (run: Run, name: string) =>
  name === 'claim'
    ? run.claimed
    : name === 'turn'
      ? (run.turn as number)
      : name === 'settle'
        ? (run.settled as number)
        : run.hops.get(name);
const segment = (from: string, to: string, label: string) => {
  const values = done.flatMap((run) => {
    const a = hop(run, from);
    const b = hop(run, to);
    return a === undefined || b === undefined ? [] : [b - a];
  });
  if (values.length > 0) row(`${label} (${from} → ${to})`, values);
};

const first = Math.min(...done.map((run) => run.claimed));
const last = Math.max(...done.map((run) => run.settled as number));
console.log(
  `${done.length} runs traced, ${commits.length} commits, ${ms(last - first).toFixed(0)} ms from the first claim to the last settle\n`,
);
console.log('hops of one run:');
const path: [string, string, string][] = [
  ['claim', 'd-spawn', 'start: to the launch'],
  ['d-spawn', 'd-started', 'start: folder, cgroup, execa'],
  ['d-started', 'd-ended', 'the run (wrapper and command)'],
  ['d-ended', 'd-exit', 'end: monitor, last tail step'],
  ['d-exit', 'turn', 'end: waiting for a turn'],
  ['turn', 'settle', 'turn: judge, settle, tick, commit'],
];
for (const [from, to, label] of path) segment(from, to, label);

// Readiness: a task is ready once the last of its dependencies settled (the roots once the run began).
const dag = JSON.parse(readFileSync(`${prefix}.dag.json`, 'utf8')) as string[][];
const readyAt = new Map<string, number>();
const waits: number[] = [];
dag.forEach((deps, i) => {
  const task = `t${i}`;
  const at = deps.length === 0 ? first : Math.max(...deps.map((d) => byTask.get(d)?.settled ?? Infinity));
  readyAt.set(task, at);
  const run = byTask.get(task);
  if (run && Number.isFinite(at)) waits.push(run.claimed - at);
});
console.log('');
row('ready → claimed (ready work waiting for a slot)', waits);

// Slots replayed: a claim takes the slot whose last run settled longest ago (at or before the claim).
const order = [...done].sort((a, b) => a.claimed - b.claimed);
const slots: (Run | null)[] = Array.from({ length: SLOTS }, () => null);
const idle = {
  notice: [] as number[],
  waitTurn: [] as number[],
  turn: [] as number[],
  waitWork: [] as number[],
  start: [] as number[],
  all: [] as number[],
};
for (const run of order) {
  let best = -1;
  for (let s = 0; s < SLOTS; s++) {
    const prev = slots[s] ?? null;
    if (prev === null) {
      best = s;
      break;
    }
    if ((prev.settled as number) <= run.claimed && (best < 0 || (prev.settled as number) < ((slots[best] as Run).settled as number)))
      best = s;
  }
  if (best < 0) throw new Error(`no free slot for ${run.task}: more than ${SLOTS} runs at once?`);
  const prev = slots[best];
  slots[best] = run;
  if (!prev) continue;
  const h = (r: Run, name: string) => hop(r, name) as number;
  idle.notice.push(h(prev, 'd-exit') - h(prev, 'd-ended'));
  idle.waitTurn.push(h(prev, 'turn') - h(prev, 'd-exit'));
  idle.turn.push(h(prev, 'settle') - h(prev, 'turn'));
  idle.waitWork.push(run.claimed - h(prev, 'settle'));
  idle.start.push(h(run, 'd-started') - run.claimed);
  idle.all.push(h(run, 'd-started') - h(prev, 'd-ended'));
}
const busy = done.reduce((sum, run) => sum + (hop(run, 'd-ended') as number) - (hop(run, 'd-started') as number), 0);
console.log(
  `\nslots: ${SLOTS} × ${ms(last - first).toFixed(0)} ms; commands ran ${ms(busy).toFixed(0)} ms of it (${((busy / (SLOTS * (last - first))) * 100).toFixed(0)}%)`,
);
console.log("a slot's idle time, from a command's end to the next command's start in it:");
row('noticing the end (cmd end → monitor)', idle.notice);
row('waiting for a turn (monitor → turn)', idle.waitTurn);
row('inside the turn (turn → commit)', idle.turn);
row('waiting for ready work (settle → claim)', idle.waitWork);
row('start (claim commit → command)', idle.start);
row('all', idle.all);

// Over time: ready-but-unclaimed tasks, and slots free in the coordinator's view (claimed, not settled), sampled at each commit.
const events: [number, number, number][] = [];
for (const [task, at] of readyAt) {
  const run = byTask.get(task);
  if (!run || !Number.isFinite(at)) continue;
  events.push([at, 1, 0], [run.claimed, -1, 1], [run.settled ?? last, 0, -1]);
}
events.sort((a, b) => a[0] - b[0] || a[2] - b[2]);
let ready = 0;
let held = 0;
let prevAt = first;
let starvedUs = 0;
let readyArea = 0;
for (const [at, dReady, dHeld] of events) {
  if (held < SLOTS && ready === 0) starvedUs += at - prevAt;
  readyArea += ready * (at - prevAt);
  prevAt = at;
  ready += dReady;
  held += dHeld;
}
console.log(`\nready but unclaimed tasks: ${(readyArea / (last - first)).toFixed(1)} on average over time`);
console.log(
  `a slot free with no ready task to give it: ${((starvedUs / (last - first)) * 100).toFixed(0)}% of the time (${ms(starvedUs).toFixed(0)} ms)`,
);
