/**
 * `npm run bench:team-network` (builds the CLI first, then `tsx test/bench/team-network.bench.ts`): a team's graph on
 * PostgreSQL as a team feels it, with the database one network hop away. One PostgreSQL server (started here, on a
 * unix socket, with its own durability settings: each commit flushed), reached two ways side by side in one run:
 * - direct: its unix socket, as on the database's own machine;
 * - proxied: through our delay proxy (test/helpers/delay-proxy.ts, in a process of its own) that holds every chunk
 *   RTT_MS / 2 each way (RTT_MS 10 by default, a same-region network) and counts the round trips clients wait for.
 * For each tree (this checkout, and BASE_TREE's when set) and each way, one coordinator with a project of its own
 * (its own schema) measures, started afresh and stopped after:
 * 1. Idle round trips a second (proxied): what the coordinator sends the database with nothing to do, over IDLE_S s.
 * 2. An API read, idle: READS sequential `POST /api/op/task:show` with the coordinator's token; p50/p99, and the
 *    round trips each cost (proxied, less the idle rate of 1).
 * 3. A chain of CHAIN tasks (60), each `date +%s%N` at its start and as its last act: done → dependent start (the gap
 *    from one's end to the next one's start) p50/p99; the chain's wall (first start to last end); the coordinator's
 *    own CPU per task (/proc/PID/stat, its runs not counted); round trips per dispatch (proxied: the bursts the
 *    coordinator and its runs sent from the first task's end to the last one's, per task, less the idle rate of 1).
 * 3b. An agent's chain of AGENT_CHAIN tasks (30), each reporting `wg done` through the coordinator's API as an agent does
 *    (a run holds no database login) and ending: an agent's done → its dependent's start, from the moment its `wg done`
 *    begins (the command's own start is in it, as an agent pays it) to the next task's start, p50/p99.
 * 4. An API read, busy: `task:show` every 20 ms while a second chain, of BUSY_CHAIN tasks of `true` (100), runs;
 *    130 to 180 reads here, so that its p99 is not simply the worst one (with 30 tasks, a few dozen reads: it was);
 *    p50/p99, and that chain's wall (the reads slow it: on today's main, through the proxy, tenfold).
 * Then graphile-worker's chain of GW_CHAIN jobs (each adding the next) direct and through the same proxy: the job
 * queue that fetches in one statement, as the reference for done → start (set GW_CHAIN=0 to leave it out).
 *
 * HOPS=<prefix>: the coordinators trace each run's hops (src/core/timing/run-hops.ts, recorded by run-hops-recorder.cjs)
 * into <prefix>-<tree>-<way>.trace, and the shell chain's stamps go beside it (….samples.json); then
 * `npx tsx test/bench/exit-hops.ts <prefix>-this-proxied` says where a gap's time went, hop by hop.
 *
 * BASE_TREE=/path/to/other/checkout (built: `node scripts/build-cli.mjs` there), or WG_BASELINE=<it>/bin/wg.js as the
 * other benches take it, adds that checkout's `wg` as two more columns (`base`), so today's main and new code are
 * measured in the same run, on the same server and proxy, direct ones one after the other, then proxied ones.
 * The goals beside the figures are issue 73's, at RTT 10 ms. The load average is printed at the start and the end:
 * on a shared machine, figures are read as ratios between columns of one run.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type DelayProxyProcess, startDelayProxyProcess } from '../helpers/delay-proxy-process';
import { startPostgresServer } from '../helpers/postgres-server';
import { graphileChain } from './graphile-chain';
import { percentile } from './percentiles';
import { clockTicks, cpuTicks } from './proc-cpu';

const RTT_MS = Number(process.env.RTT_MS ?? 10);
const CHAIN = Number(process.env.CHAIN ?? 60);
const BUSY_CHAIN = Number(process.env.BUSY_CHAIN ?? 100);
const AGENT_CHAIN = Number(process.env.AGENT_CHAIN ?? 30);
const READS = Number(process.env.READS ?? 100);
const IDLE_S = Number(process.env.IDLE_S ?? 3);
const GW_CHAIN = Number(process.env.GW_CHAIN ?? 100);
const HOPS = process.env.HOPS?.trim() ?? '';
const RECORDER = resolve(import.meta.dirname, 'run-hops-recorder.cjs');
/** The other checkout: BASE_TREE=its folder, or WG_BASELINE=its bin/wg.js as the other benches take it. */
const BASE_TREE = process.env.BASE_TREE?.trim()
  ? resolve(process.env.BASE_TREE.trim())
  : process.env.WG_BASELINE?.trim()
    ? resolve(dirname(process.env.WG_BASELINE.trim()), '..')
    : '';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TICK_MS = 1000 / clockTicks();

interface Tree {
  /** The column's short name (`this`, `base`). */
  name: string;
  /** What it is, for the legend: its folder and commit. */
  what: string;
  wg: string;
}

const here = resolve(import.meta.dirname, '../..');
const trees: Tree[] = [{ name: 'this', what: `${here} at ${await commitOf(here)}`, wg: join(here, 'bin/wg.js') }];
if (BASE_TREE !== '') {
  const wg = join(BASE_TREE, 'bin/wg.js');
  if (!existsSync(wg) || !existsSync(join(BASE_TREE, 'out/cli'))) {
    console.error(`${BASE_TREE} has no built wg (bin/wg.js and out/cli): run 'node scripts/build-cli.mjs' there first`);
    process.exit(2);
  }
  trees.push({ name: 'base', what: `${BASE_TREE} at ${await commitOf(BASE_TREE)}`, wg });
}

async function commitOf(folder: string): Promise<string> {
  try {
    return (await run('git', ['-C', folder, 'rev-parse', '--short', 'HEAD'])).stdout.trim();
  } catch {
    return 'not a git checkout';
  }
}

const made: string[] = [];
const running: Array<{ tree: Tree; folder: string }> = [];

function wg(tree: Tree, folder: string, ...args: string[]): Promise<string> {
  return wgWith({}, tree, folder, ...args);
}

function wgWith(env: NodeJS.ProcessEnv, tree: Tree, folder: string, ...args: string[]): Promise<string> {
  return run(process.execPath, [tree.wg, ...args], {
    cwd: folder,
    env: { ...process.env, WG_HOME: join(folder, '.home'), ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).then((r) => r.stdout);
}

function tempFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  made.push(folder);
  return folder;
}

/** A coordinator on its own project, started: what the API needs, and its pid. */
interface Coordinator {
  tree: Tree;
  folder: string;
  pid: number;
  api: string;
  token: string;
}

/** `trace`: the file its hops are recorded in (HOPS), or ''. */
async function startCoordinator(tree: Tree, url: string, trace: string): Promise<Coordinator> {
  const folder = tempFolder('wg-net-');
  await run('git', ['init', '-q'], { cwd: folder });
  await wg(tree, folder, 'init', '--store', url, '-x', 'shell');
  await wg(tree, folder, 'config', '--max-agents', '4', '--worktrees', 'false');
  await wg(tree, folder, 'add', 'the task the API reads', '--id', 'probe', '--paused');
  const traced = trace === '' ? {} : { WG_TRACE_RUNS: trace, NODE_OPTIONS: `--require ${RECORDER}` };
  const status = JSON.parse(await wgWith(traced, tree, folder, 'service', 'start', '--json')) as { pid: number; url: string };
  running.push({ tree, folder });
  const [api = '', token = ''] = status.url.split('/#token=');
  return { tree, folder, pid: status.pid, api, token };
}

async function stopCoordinator(c: Coordinator): Promise<void> {
  await wg(c.tree, c.folder, 'service', 'stop', '--kill-agents');
  running.splice(
    running.findIndex((r) => r.folder === c.folder),
    1,
  );
}

/** One `task:show` over the API, timed from the request to the whole answer read. */
async function apiRead(c: Coordinator, id: string): Promise<{ ms: number; status: string }> {
  const start = performance.now();
  const response = await fetch(`${c.api}/api/op/task:show`, {
    method: 'POST',
    headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id }),
  });
  const body = await response.text();
  const ms = performance.now() - start;
  if (response.status !== 200) throw new Error(`task:show ${id} answered ${response.status}: ${body.slice(0, 200)}`);
  return { ms, status: (JSON.parse(body) as { status: string }).status };
}

/** Adds tasks in one `wg import` (one commit, as a person adding a plan). */
async function addTasks(c: Coordinator, tasks: Array<{ id: string; after: string[]; exec: string }>): Promise<void> {
  const file = join(c.folder, `tasks-${tasks[0]?.id}.jsonl`);
  writeFileSync(file, `${tasks.map((t) => JSON.stringify({ kind: 'task', title: t.id, ...t })).join('\n')}\n`);
  await wg(c.tree, c.folder, 'import', file);
}

/** Waits for a stamp `date` writes: the shell makes the file before date has written its line. */
async function untilStamped(file: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(existsSync(file) && readFileSync(file, 'utf8').endsWith('\n'))) {
    if (Date.now() > deadline) throw new Error(`${file} was not written within ${timeoutMs / 1000} s`);
    await sleep(5);
  }
}

interface Column {
  idleTripsPerSecond?: number;
  idleReads: number[];
  tripsPerRead?: number;
  gaps: number[];
  wallMs: number;
  cpuPerTaskMs: number;
  tripsPerDispatch?: number;
  busyReads: number[];
  /** The agents' chain: from a run's `wg done` beginning to its dependent's start. */
  agentGaps: number[];
  /** The second chain's, from its import to the read that found its last task done. */
  busyWallMs: number;
}

/** `hops`: where its trace and the chain's stamps go (HOPS), or ''. */
async function measure(tree: Tree, url: string, proxy: DelayProxyProcess | null, hops: string): Promise<Column> {
  const c = await startCoordinator(tree, url, hops === '' ? '' : `${hops}.trace`);
  const trips = async () => (proxy ? await proxy.roundTrips() : 0);
  try {
    // Its start's own work (migrations checked, first turn) is over before anything is counted.
    for (let i = 0; i < 5; i++) await apiRead(c, 'probe');
    await sleep(1_000);

    const idleFrom = await trips();
    await sleep(IDLE_S * 1000);
    const idleRate = ((await trips()) - idleFrom) / IDLE_S;

    const readsFrom = await trips();
    const readsStart = performance.now();
    const idleReads: number[] = [];
    for (let i = 0; i < READS; i++) idleReads.push((await apiRead(c, 'probe')).ms);
    const readsSeconds = (performance.now() - readsStart) / 1000;
    const readTrips = (await trips()) - readsFrom - idleRate * readsSeconds;

    const dir = tempFolder('wg-net-chain-');
    const stamp = (name: string) => `date +%s%N > ${dir}/${name}`;
    await addTasks(
      c,
      Array.from({ length: CHAIN }, (_, i) => ({
        id: `c${i}`,
        after: i === 0 ? [] : [`c${i - 1}`],
        exec: `${stamp(`start-${i}`)}; ${stamp(`end-${i}`)}`,
      })),
    );
    // Counted from the first task's end to the last one's: CHAIN - 1 dispatches, none of the import's own work.
    await untilStamped(join(dir, 'end-0'), 60_000);
    const chainTrips = await trips();
    const chainStart = performance.now();
    const cpuFrom = cpuTicks(c.pid);
    await untilStamped(join(dir, `end-${CHAIN - 1}`), 600_000);
    const cpu = (cpuTicks(c.pid) - cpuFrom) * TICK_MS;
    const chainSeconds = (performance.now() - chainStart) / 1000;
    // Less what it sends with nothing to do (its timers), as for the reads: what the dispatches cost.
    const dispatchTrips = (await trips()) - chainTrips - idleRate * chainSeconds;
    const read = (name: string) => Number(BigInt(readFileSync(join(dir, name), 'utf8').trim()) / 1000n) / 1000;
    const gaps = Array.from({ length: CHAIN - 1 }, (_, i) => read(`start-${i + 1}`) - read(`end-${i}`));
    const wallMs = read(`end-${CHAIN - 1}`) - read('start-0');
    if (hops !== '') {
      const us = (name: string) => Number(BigInt(readFileSync(join(dir, name), 'utf8').trim()) / 1000n);
      const samples = Array.from({ length: CHAIN - 1 }, (_, i) => ({
        task: `c${i + 1}`,
        endedUs: us(`end-${i}`),
        startedUs: us(`start-${i + 1}`),
      }));
      writeFileSync(`${hops}.samples.json`, JSON.stringify(samples));
    }

    await addTasks(
      c,
      Array.from({ length: AGENT_CHAIN }, (_, i) => ({
        id: `a${i}`,
        after: i === 0 ? [] : [`a${i - 1}`],
        exec: `${stamp(`agent-start-${i}`)}; ${stamp(`agent-done-${i}`)}; wg done "$WG_TASK_ID"`,
      })),
    );
    await untilStamped(join(dir, `agent-start-${AGENT_CHAIN - 1}`), 600_000);
    const agentGaps = Array.from({ length: AGENT_CHAIN - 1 }, (_, i) => read(`agent-start-${i + 1}`) - read(`agent-done-${i}`));

    await addTasks(
      c,
      Array.from({ length: BUSY_CHAIN }, (_, i) => ({ id: `b${i}`, after: i === 0 ? [] : [`b${i - 1}`], exec: 'true' })),
    );
    const busyStart = performance.now();
    const busyReads: number[] = [];
    const deadline = Date.now() + 600_000;
    for (;;) {
      const { ms, status } = await apiRead(c, `b${BUSY_CHAIN - 1}`);
      busyReads.push(ms);
      if (status === 'done') break;
      if (Date.now() > deadline) throw new Error('the busy chain did not end within 600 s');
      await sleep(20);
    }
    return {
      ...(proxy ? { idleTripsPerSecond: idleRate, tripsPerRead: readTrips / READS, tripsPerDispatch: dispatchTrips / (CHAIN - 1) } : {}),
      idleReads,
      gaps,
      wallMs,
      cpuPerTaskMs: cpu / (CHAIN - 1),
      busyReads,
      agentGaps,
      busyWallMs: performance.now() - busyStart,
    };
  } finally {
    await stopCoordinator(c);
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const p50 = (samples: number[]) => ms(percentile(samples, 50));
const p99 = (samples: number[]) => ms(percentile(samples, 99));
const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

function printTable(rows: string[][]): void {
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const [i, row] of rows.entries()) {
    console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join(' | ')} |`);
    if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  }
}

const server = startPostgresServer([]);
let proxy: DelayProxyProcess | null = null;
try {
  const loadAtStart = load();
  console.log(
    `load average at start: ${loadAtStart}; RTT ${RTT_MS} ms through the proxy; chain ${CHAIN}, busy chain ${BUSY_CHAIN}, idle reads ${READS}`,
  );
  proxy = await startDelayProxyProcess({ target: { path: join(server.socketDir, '.s.PGSQL.5432') }, delayMs: RTT_MS / 2 });
  const proxied = proxy;
  const columns: Array<{ name: string; tree: Tree; way: 'direct' | 'proxied'; m: Column }> = [];
  for (const tree of trees) console.log(`${tree.name}: ${tree.what}`);
  // Way by way: the trees compared with each other are measured one after the other, on the same load.
  for (const way of ['direct', 'proxied'] as const) {
    for (const [t, tree] of trees.entries()) {
      const schema = `net_${t}_${way}`;
      const url = way === 'direct' ? server.url({ schema }) : `postgresql://postgres@127.0.0.1:${proxied.port}/postgres?schema=${schema}`;
      const began = performance.now();
      console.log(`measuring ${tree.name}, ${way} (load ${load()})`);
      columns.push({
        name: `${tree.name}, ${way === 'direct' ? 'direct' : `RTT ${RTT_MS} ms`}`,
        tree,
        way,
        m: await measure(tree, url, way === 'direct' ? null : proxied, HOPS === '' ? '' : `${HOPS}-${tree.name}-${way}`),
      });
      console.log(`  took ${((performance.now() - began) / 1000).toFixed(0)} s`);
    }
  }

  const row = (label: string, goal: string, cell: (m: Column) => string) => [label, ...columns.map((c) => cell(c.m)), goal];
  const trip = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(2));
  const rows = [
    ['', ...columns.map((c) => c.name), `goal at RTT 10 ms`],
    row('done → dependent start p50', '≤ 30 ms', (m) => p50(m.gaps)),
    row('done → dependent start p99', '', (m) => p99(m.gaps)),
    row("an agent's wg done → dependent start p50", '', (m) => p50(m.agentGaps)),
    row("an agent's wg done → dependent start p99", '', (m) => p99(m.agentGaps)),
    row('API read (task:show) idle p50', '≤ 15 ms', (m) => p50(m.idleReads)),
    row('API read idle p99', '', (m) => p99(m.idleReads)),
    row('API read busy p50', '', (m) => p50(m.busyReads)),
    row('API read busy p99', '≤ 60 ms', (m) => p99(m.busyReads)),
    row(`chain of ${CHAIN} wall`, '', (m) => `${(m.wallMs / 1000).toFixed(2)} s`),
    [
      'chain wall / direct',
      ...columns.map((c) => {
        const direct = columns.find((d) => d.tree === c.tree && d.way === 'direct');
        return direct ? `${(c.m.wallMs / direct.m.wallMs).toFixed(2)}×` : '-';
      }),
      '≤ 1.5×',
    ],
    row(`chain of ${BUSY_CHAIN} wall, API reads meanwhile`, '', (m) => `${(m.busyWallMs / 1000).toFixed(2)} s`),
    row('coordinator CPU per task', '', (m) => ms(m.cpuPerTaskMs)),
    row('round trips per dispatch', '', (m) => trip(m.tripsPerDispatch)),
    row('round trips per API read', '1', (m) => trip(m.tripsPerRead)),
    row('idle round trips a second', '', (m) => trip(m.idleTripsPerSecond)),
    row('API reads idle / busy (n)', '', (m) => `${m.idleReads.length} / ${m.busyReads.length}`),
  ];
  printTable(rows);

  if (GW_CHAIN > 1) {
    console.log(`\ngraphile-worker ${GW_CHAIN}-job chain, each job adding the next (load ${load()}):`);
    const direct = await graphileChain(server.url(), GW_CHAIN);
    const through = await graphileChain(`postgresql://postgres@127.0.0.1:${proxied.port}/postgres`, GW_CHAIN, () => proxied.roundTrips());
    printTable([
      ['', 'direct', `RTT ${RTT_MS} ms`],
      ['job end → next start p50', p50(direct.gaps), p50(through.gaps)],
      ['job end → next start p99', p99(direct.gaps), p99(through.gaps)],
      ['chain wall', `${(direct.wallMs / 1000).toFixed(2)} s`, `${(through.wallMs / 1000).toFixed(2)} s`],
      ['round trips per job', '-', through.tripsPerJob?.toFixed(2) ?? '-'],
    ]);
  }
  console.log(`\nload average at start: ${loadAtStart}; at end: ${load()} (1, 5, 15 min; 2 cores)`);
} catch (error) {
  for (const folder of made) {
    const log = join(folder, '.workgraph/service/daemon.log');
    if (existsSync(log)) console.error(`${folder}:\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
  throw error;
} finally {
  for (const { tree, folder } of running) await wg(tree, folder, 'service', 'stop', '--kill-agents').catch(() => {});
  await proxy?.close();
  for (const folder of made) rmSync(folder, { recursive: true, force: true });
  server.stop();
}
