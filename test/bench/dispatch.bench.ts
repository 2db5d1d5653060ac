import { sqlText } from '../helpers/sql-text';
/**
 * `npx tsx test/bench/dispatch.bench.ts` (or `npm run bench:dispatch`, which builds the CLI first).
 *
 * 1. Dispatch latency: from a dependency's `wg done` (the commit, then the CLI's poke) to the
 *    dependent's process start, which the process records itself (`date +%s%N`). p50/p99 over 200.
 * 2. Throughput: a 2,000-task random DAG of tasks running /bin/true at max_agents 8, against `make -j8`
 *    running the same DAG from a generated Makefile, wall times side by side in one run; again with
 *    the projects on /dev/shm, where there is one apart from the temp folder's disk.
 * 3. Idle cost: CPU time of a daemon with nothing to do over 30 s (after 20 s of warm-up), from /proc/<pid>/stat.
 *
 * WG_BASELINE=/path/to/other/checkout/bin/wg.js runs parts 1 and 2 with that build's coordinator too, side by
 * side in the same run (e.g. the commit before a change), so a comparison does not depend on the machine's load; in
 * both parts each build runs twice, in the order this, baseline, baseline, this (dagFigures).
 *
 * BENCH_STORES=sqlite,postgres runs parts 1 and 2 with the project's graph in PostgreSQL too (a team's graph),
 * side by side with SQLite: a server this bench starts (initdb, pg_ctl) on a unix socket in a temporary folder,
 * with PostgreSQL's own durability settings (each commit flushed), as test/helpers/postgres-server.ts starts
 * the tests' (as the postgres user where this runs as root). The DAG's wall gives the claims per second sustained.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths, type ProjectPaths } from '../../src/core/project';
import { pokeCoordinator } from '../../src/core/connecting/coordinator-poke';
import { readServiceState } from '../../src/core/service-state/state-file';
import type { Store } from '../../src/core/store/store';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { inOneTransaction, storeOf } from './store-of';
import { childrenCpuMs, clockTicks, cpuTicks, treeTicks } from './proc-cpu';
import { median, percentile } from './percentiles';
import { randomDag } from './random-dag';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const BASELINE = process.env.WG_BASELINE ? resolve(process.env.WG_BASELINE) : null;
const LATENCY_SAMPLES = 200;
const CLI_SAMPLES = 20;
const DAG_SIZE = Number(process.env.DAG_SIZE ?? 2000);
const IDLE_SECONDS = Number(process.env.IDLE_SECONDS ?? 30);
const WARMUP_SECONDS = Number(process.env.WARMUP_SECONDS ?? 20);
/** BENCH_ONLY=latency|dag|idle runs one part; DAG_SIZE=N sizes the DAG; DAG_WHERE=tmp|ram runs it in one place only. */
const ONLY = process.env.BENCH_ONLY ?? '';
const DAG_WHERE = process.env.DAG_WHERE ?? '';
/**
 * DAG_COMMAND=… the coordinator's task command (default `/bin/true`, a program: an exec and, where the
 * system gives cgroups, a cgroup join a task; `true` is a bash builtin). make's recipe stays `/bin/sh -c 'true'`.
 */
const DAG_COMMAND = process.env.DAG_COMMAND ?? '/bin/true';
const part = (name: string) => ONLY === '' || ONLY === name;

/**
 * Folders to remove when the bench ends, not between contestants: on an ext4 without a journal
 * (this VM's disk) creating a file is slow for minutes after thousands were deleted (the allocator
 * skips recently freed inodes one by one), so a removal would slow down whoever runs next.
 */
const leftovers: string[] = [];
const removeLater = (path: string) => leftovers.push(path);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Wall-clock now in ns with sub-ms precision, comparable with `date +%s%N`. */
const nowNs = () => (performance.timeOrigin + performance.now()) * 1e6;

interface Project {
  root: string;
  paths: ProjectPaths;
  store: Store;
  wg(...args: string[]): string;
  stop(): void;
}

const STORES = (process.env.BENCH_STORES ?? 'sqlite').split(',').map((kind) => kind.trim());
let postgres: PgServer | null = null;
let schemas = 0;

/** Where a project of this run keeps its graph: its folder's graph.db, or a fresh schema on the bench's PostgreSQL server. */
type StoreKind = 'sqlite' | 'postgres';
function storeUrl(kind: StoreKind): string | null {
  if (kind === 'sqlite') return null;
  postgres ??= startPostgresServer([]);
  return postgres.url({ schema: `bench_${++schemas}` });
}

/**
 * WG_TRACE_RUNS=<prefix>: the DAG runs of this checkout's coordinator trace each run's hops into
 * <prefix>-<where>.trace, with the DAG in <prefix>-<where>.dag.json, for test/bench/run-trace-report.ts;
 * the latency runs into <prefix>-latency.trace.
 */
const TRACE = process.env.WG_TRACE_RUNS?.trim() ?? '';
const HOPS_RECORDER = fileURLToPath(new URL('./run-hops-recorder.cjs', import.meta.url));

async function project(name: string, base = tmpdir(), wgPath = WG, trace = '', kind: StoreKind = 'sqlite'): Promise<Project> {
  const root = mkdtempSync(join(base, `wg-bench-${name}-`));
  const paths = projectPaths(join(root, '.workgraph'));
  ensureProjectDirs(paths);
  const StoreOf = await storeOf(wgPath);
  const url = storeUrl(kind);
  writeFileSync(paths.config, `${url ? `[store]\nurl = "${url}"\n` : ''}[coordinator]\nexecutor = "shell"\npoll_interval = 3600\n`);
  const env: NodeJS.ProcessEnv = { ...process.env, WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '', WG_TRACE_RUNS: trace };
  // The daemon publishes its runs' hops on a diagnostics channel; this recorder, loaded into it, writes them down.
  if (trace !== '') env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${HOPS_RECORDER}`.trim();
  const wg = (...args: string[]) =>
    execFileSync(process.execPath, [wgPath, '--dir', paths.dir, ...args], { cwd: root, env, encoding: 'utf8' });
  const store = await StoreOf(url ?? paths.db);
  return {
    root,
    paths,
    store,
    wg,
    stop: async () => {
      try {
        wg('service', 'stop', '--kill-agents');
      } catch {
        // already stopped
      }
      await store.close();
      removeLater(root);
    },
  };
}

async function until(what: string, ready: () => Promise<boolean>, timeoutMs = 120_000, everyMs = 1): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(everyMs);
  }
}

/**
 * Resolves once `name` in `folder` holds a whole line: woken by the file system's events rather than
 * polled, so the bench does not wake every millisecond on the cores the runs it measures need
 * (a poll every 100 ms is the safety net).
 */
async function written(folder: string, name: string): Promise<void> {
  const path = join(folder, name);
  const complete = () => existsSync(path) && readFileSync(path, 'utf8').endsWith('\n');
  if (complete()) return;
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      watcher.close();
      clearInterval(poll);
      clearTimeout(limit);
    };
    const look = () => {
      if (!complete()) return;
      finish();
      resolve();
    };
    const watcher = watch(folder, (_event, changed) => {
      if (changed === name) look();
    });
    const poll = setInterval(look, 100);
    const limit = setTimeout(() => {
      finish();
      reject(new Error(`timed out: ${name}`));
    }, 120_000);
    look();
  });
}

const ms = (ns: number) => ns / 1e6;
const show = (samples: number[]) =>
  `p50 ${percentile(samples, 50).toFixed(2)} ms, p99 ${percentile(samples, 99).toFixed(2)} ms (n=${samples.length})`;

/** Gate i (manual, never started) → dep i (records its own start time). Done gate i, wait for dep i. */
async function latency(wgPath = WG, trace = '', kind: StoreKind = 'sqlite'): Promise<{ inProcess: number[]; cli: number[] }> {
  if (trace !== '') rmSync(trace, { force: true });
  const p = await project('latency', tmpdir(), wgPath, trace, kind);
  const total = LATENCY_SAMPLES + CLI_SAMPLES;
  const mark = (i: number) => join(p.root, `start-${i}`);
  await inOneTransaction(p.store, async () => {
    for (let i = 0; i < total; i++) {
      await p.store.tasks.add({ title: `gate ${i}`, id: `gate-${i}`, executor: 'manual' }, 'bench');
      await p.store.tasks.add({ title: `dep ${i}`, id: `dep-${i}`, after: [`gate-${i}`], exec: `date +%s%N > ${mark(i)}` }, 'bench');
    }
  });
  p.wg('service', 'start', '--max-agents', '8');
  const inProcess: number[] = [];
  const cli: number[] = [];
  /** For the hop report (latency-hops.ts): when each in-process sample was committed and its command started. */
  const samples: { task: string; committedUs: number; startedUs: number }[] = [];
  try {
    for (let i = 0; i < total; i++) {
      let committed: number;
      if (i < LATENCY_SAMPLES) {
        // Exactly what `wg done` does (dispatch then poke), without Node's start-up in front of it.
        await p.store.tasks.done(`gate-${i}`, {}, 'bench');
        committed = nowNs();
        await pokeCoordinator(p.paths);
      } else {
        p.wg('done', `gate-${i}`);
        committed = Date.parse((await p.store.get(`gate-${i}`)).completed_at as string) * 1e6;
      }
      await written(p.root, `start-${i}`);
      const started = Number(readFileSync(mark(i), 'utf8').trim());
      (i < LATENCY_SAMPLES ? inProcess : cli).push(ms(started - committed));
      if (i < LATENCY_SAMPLES)
        samples.push({ task: `dep-${i}`, committedUs: Math.round(committed / 1e3), startedUs: Math.round(started / 1e3) });
      await until(
        `dep-${i} to finish`,
        async () => (await p.store.get(`dep-${i}`)).status === 'done' && (await p.store.agents.list({ working: true })).length === 0,
      );
    }
  } finally {
    p.stop();
    if (trace !== '') writeFileSync(trace.replace(/\.trace$/, '.samples.json'), JSON.stringify(samples));
  }
  return { inProcess, cli };
}

function makeRun(dag: string[][], base: string): { wall: number; cpuMs: number } {
  const dir = mkdtempSync(join(base, 'wg-bench-make-'));
  const rules = dag.map((deps, i) => `t${i}:${deps.map((d) => ` ${d}`).join('')}\n\t@/bin/sh -c 'true'\n`);
  writeFileSync(
    join(dir, 'Makefile'),
    `.PHONY: all ${dag.map((_, i) => `t${i}`).join(' ')}\nall: ${dag.map((_, i) => `t${i}`).join(' ')}\n${rules.join('')}`,
  );
  const cpuBefore = childrenCpuMs();
  const start = process.hrtime.bigint();
  execFileSync('make', ['-j8', '-s', '-f', join(dir, 'Makefile'), 'all'], { cwd: dir, stdio: 'ignore' });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const cpuMs = childrenCpuMs() - cpuBefore;
  removeLater(dir);
  return { wall, cpuMs };
}

/**
 * Wall time, the daemon's own CPU time over it, and the CPU of its whole tree: the daemon, any
 * helper process and the agents collected (CPU times are less noisy than the wall on a shared machine).
 */
async function coordinatorRun(
  dag: string[][],
  base: string,
  wgPath = WG,
  trace = '',
  kind: StoreKind = 'sqlite',
): Promise<{ wall: number; daemonCpuMs: number; treeCpuMs: number }> {
  if (trace !== '') {
    rmSync(`${trace}.trace`, { force: true });
    writeFileSync(`${trace}.dag.json`, JSON.stringify(dag));
  }
  const p = await project('dag', base, wgPath, trace === '' ? '' : `${trace}.trace`, kind);
  await inOneTransaction(p.store, async () => {
    await p.store.tasks.add({ title: 'gate', id: 'gate', executor: 'manual' }, 'bench');
    for (const [i, deps] of dag.entries()) {
      await p.store.tasks.add({ title: `t${i}`, id: `t${i}`, after: deps.length ? deps : ['gate'], exec: DAG_COMMAND }, 'bench');
    }
  });
  p.wg('service', 'start', '--max-agents', '8');
  try {
    const pid = readServiceState(p.paths)?.pid as number;
    const cpuBefore = cpuTicks(pid);
    const treeBefore = treeTicks(pid);
    const start = process.hrtime.bigint();
    await p.store.tasks.done('gate', {}, 'bench');
    await pokeCoordinator(p.paths);
    const doneCount = sqlText<{ n: number }>(p.store.core, "SELECT count(*) AS n FROM tasks WHERE status = 'done'");
    await until('the DAG to finish', async () => ((await doneCount.get()) as { n: number }).n === dag.length + 1, 600_000, 5);
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    const failed = (await p.store.list({ status: 'failed' })).length;
    if (failed > 0) throw new Error(`${failed} tasks failed`);
    // Give the helper a moment to collect its last children.
    await sleep(200);
    const hz = clockTicks();
    return { wall, daemonCpuMs: ((cpuTicks(pid) - cpuBefore) / hz) * 1000, treeCpuMs: ((treeTicks(pid) - treeBefore) / hz) * 1000 };
  } finally {
    p.stop();
  }
}

async function idleCpu(): Promise<{ cpuMs: number; percent: number; warmupMs: number }> {
  const p = await project('idle');
  p.wg('service', 'start');
  try {
    const pid = readServiceState(p.paths)?.pid as number;
    const hz = clockTicks();
    const atStart = cpuTicks(pid);
    // Past start-up: V8 finishes compiling and runs its memory-reducing collections in the first ~20 s.
    await sleep(WARMUP_SECONDS * 1000);
    const before = cpuTicks(pid);
    await sleep(IDLE_SECONDS * 1000);
    const cpuMs = ((cpuTicks(pid) - before) / hz) * 1000;
    return { cpuMs, percent: (cpuMs / (IDLE_SECONDS * 1000)) * 100, warmupMs: ((before - atStart) / hz) * 1000 };
  } finally {
    p.stop();
  }
}

/**
 * What creating a small file costs in `base` now (µs, median of 5 rounds of 200): a run makes five
 * (its folder, pid, stdout, stderr, exit) and make none, so the disk's state shows in the ratio.
 * On an ext4 without a journal it is 10 µs on a quiet disk and 300 µs for minutes after thousands of
 * files were removed (earlier benches, test runs).
 */
function fileCreateMicros(base: string): number {
  const dir = mkdtempSync(join(base, 'wg-bench-files-'));
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < 200; i++) writeFileSync(join(dir, `f${round}-${i}`), 'x\n');
    rounds.push(Number(process.hrtime.bigint() - start) / 1e3 / 200);
  }
  removeLater(dir);
  return median(rounds);
}

type CoordinatorRun = Awaited<ReturnType<typeof coordinatorRun>>;

/** The mean of two runs, figure by figure. */
const meanOf = (a: CoordinatorRun, b: CoordinatorRun): CoordinatorRun => ({
  wall: (a.wall + b.wall) / 2,
  daemonCpuMs: (a.daemonCpuMs + b.daemonCpuMs) / 2,
  treeCpuMs: (a.treeCpuMs + b.treeCpuMs) / 2,
});

/**
 * The DAG under make, the coordinator (and the baseline's), one after the other, with the projects in `base`. Beside a
 * baseline, each build runs twice, this one first and last (this, baseline, baseline, this), and each figure is the mean
 * of its two, so that a drift of the machine along the runs weighs on both alike: in /tmp one run each had favoured
 * either build by 7 to 27% (both orders, one session), more than the differences the comparison is for.
 */
async function dagFigures(dag: string[][], base: string, where: string): Promise<void> {
  const createUs = fileCreateMicros(base);
  const make = makeRun(dag, base);
  const trace = TRACE === '' ? '' : `${TRACE}-${base.replace(/\W+/g, '')}`;
  const first = await coordinatorRun(dag, base, WG, trace);
  const baseline = BASELINE ? meanOf(await coordinatorRun(dag, base, BASELINE), await coordinatorRun(dag, base, BASELINE)) : null;
  const { wall: coordinator, daemonCpuMs, treeCpuMs } = BASELINE ? meanOf(first, await coordinatorRun(dag, base, WG)) : first;
  const team = STORES.includes('postgres') ? await coordinatorRun(dag, base, WG, '', 'postgres') : null;
  if (trace !== '') console.log(`  trace: npx tsx test/bench/run-trace-report.ts ${trace}`);
  const makeAfter = makeRun(dag, base);
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `\n${DAG_SIZE}-task random DAG, tasks running ${DAG_COMMAND}, 8 at a time, ${where} (creating a file there: ${createUs.toFixed(0)} µs):`,
  );
  console.log(
    `  make -j8:     ${s(make.wall)} before, ${s(makeAfter.wall)} after the coordinators   (CPU of make and its recipes ${s(make.cpuMs)})`,
  );
  const makeWall = (make.wall + makeAfter.wall) / 2;
  console.log(
    `  coordinator:  ${s(coordinator)}   (${(coordinator / makeWall).toFixed(2)}× make's mean; ${(DAG_SIZE / (coordinator / 1000)).toFixed(0)} claims a second)`,
  );
  console.log(
    `  daemon CPU:   ${s(daemonCpuMs)} (${(daemonCpuMs / DAG_SIZE).toFixed(2)} ms a task); with the agents ${s(treeCpuMs)} (${(treeCpuMs / make.cpuMs).toFixed(2)}× make's CPU)`,
  );
  if (baseline) {
    console.log(
      `  baseline (${BASELINE}): ${s(baseline.wall)}   (${(baseline.wall / makeWall).toFixed(2)}× make's mean); daemon CPU ${(baseline.daemonCpuMs / DAG_SIZE).toFixed(2)} ms a task, with its helper and agents ${s(baseline.treeCpuMs)}`,
    );
    console.log('  (each build run twice, this one first and last; the figures are the means)');
    // Issue 28: one launch path through execa may be slower than the run server it replaced, within 2× of it.
    console.log(`  this build against the baseline: ${(coordinator / baseline.wall).toFixed(2)}× its wall (issue 28: within 2×)`);
  }
  if (team) {
    console.log(
      `  coordinator, graph in PostgreSQL: ${s(team.wall)}   (${(team.wall / coordinator).toFixed(2)}× SQLite's; ${(DAG_SIZE / (team.wall / 1000)).toFixed(0)} claims a second); daemon CPU ${(team.daemonCpuMs / DAG_SIZE).toFixed(2)} ms a task`,
    );
  }
}

async function main(): Promise<void> {
  if (!existsSync(resolve(import.meta.dirname, '../../out/cli/wg.cjs'))) throw new Error('build the CLI first: npm run build:cli');
  console.log(`dispatch benchmark (node ${process.version}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores)\n`);

  if (part('latency')) {
    // Beside a baseline, as the DAG's part: this, baseline, baseline, this, each build's samples taken together.
    const first = await latency(WG, TRACE === '' ? '' : `${TRACE}-latency.trace`);
    const before = BASELINE
      ? [await latency(BASELINE, TRACE === '' ? '' : `${TRACE}-latency-baseline.trace`), await latency(BASELINE)]
      : [];
    const mine = BASELINE ? [first, await latency(WG)] : [first];
    const inProcess = mine.flatMap((run) => run.inProcess);
    const cli = mine.flatMap((run) => run.cli);
    console.log(`done → dependent's process start: ${show(inProcess)}   [goal p50 ≤ 10 ms, p99 ≤ 50 ms]`);
    if (TRACE !== '') console.log(`  hops: npx tsx test/bench/latency-hops.ts ${TRACE}-latency`);
    console.log(`  same through a whole \`wg done\` process (ms-resolution commit stamp): ${show(cli)}`);
    if (BASELINE) {
      const base = { inProcess: before.flatMap((run) => run.inProcess), cli: before.flatMap((run) => run.cli) };
      console.log(`  baseline (${BASELINE}): ${show(base.inProcess)}; through \`wg done\`: ${show(base.cli)}`);
      console.log('  (each build run twice, this one first and last; the samples of both runs together)');
      if (TRACE !== '') console.log(`  hops: npx tsx test/bench/latency-hops.ts ${TRACE}-latency-baseline`);
    }
    if (STORES.includes('postgres')) {
      const team = await latency(WG, TRACE === '' ? '' : `${TRACE}-latency-pg.trace`, 'postgres');
      console.log(
        `  graph in PostgreSQL (unix socket): ${show(team.inProcess)}   [goal p50 ≤ 10 ms, p99 ≤ 50 ms]; through \`wg done\`: ${show(team.cli)}`,
      );
      if (TRACE !== '') console.log(`  hops: npx tsx test/bench/latency-hops.ts ${TRACE}-latency-pg`);
    }
  }
  if (part('dag')) {
    const dag = randomDag(DAG_SIZE);
    if (DAG_WHERE !== 'ram') await dagFigures(dag, tmpdir(), `in ${tmpdir()}`);
    // A coordinator writes files for every run and make none: on a RAM filesystem the disk's share drops out.
    const ram = '/dev/shm';
    if (DAG_WHERE !== 'tmp' && existsSync(ram) && statSync(ram).dev !== statSync(tmpdir()).dev)
      await dagFigures(dag, ram, `in ${ram} (RAM)`);
  }
  if (part('idle')) {
    const idle = await idleCpu();
    console.log(`\nidle daemon over ${IDLE_SECONDS} s: ${idle.cpuMs.toFixed(0)} ms CPU (${idle.percent.toFixed(3)}%)`);
    console.log(`  (the ${WARMUP_SECONDS} s before, right after start-up: ${idle.warmupMs.toFixed(0)} ms CPU)`);
  }
}

const removeLeftovers = () => {
  postgres?.stop();
  if (!process.env.KEEP) for (const path of leftovers) rmSync(path, { recursive: true, force: true });
};

main().then(removeLeftovers, (error: unknown) => {
  console.error(error);
  removeLeftovers();
  process.exit(1);
});
