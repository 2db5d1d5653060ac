/**
 * `npx tsx test/bench/team.bench.ts` (or `npm run bench:team`, which builds the CLI first): a team's graph with
 * every coordinator active, one coordinator and three side by side in one run, on one PostgreSQL server this
 * bench starts on a unix socket (PostgreSQL's own durability settings: each commit flushed).
 *
 * 1. Done → dependent's start: a chain of CHAIN shell tasks, each writing the time it starts and, as its last
 *    act, the time it ends (`date +%s%N`); the gap from one's end to the next one's start, p50/p99.
 * 2. Claims per second: DAG_SIZE tasks of a random DAG running /bin/true, wall from the graph's commit to the
 *    last one done; max_agents 8 each and coordinator.team_max_agents 8, so one and three coordinators have the
 *    same slots and only the coordinating differs. Beside it, the whole machine's CPU per task meanwhile (every
 *    process: coordinators, runs, the server, this bench) and how many cores that kept busy: at C ms of CPU per task,
 *    2 cores cannot claim more than 2,000 / C a second, however the coordinating is done.
 * 3. Lock wait on the project's row: while part 2 runs, a probe takes the project's row lock (as every write
 *    does) every 20 ms and times the wait; p50/p99, beside the same probe with the coordinators idle.
 * 4. A dead coordinator's work running again elsewhere (three coordinators only): one with runs under way is
 *    killed (kill -9); the time until none of its runs is left to it (another took them over, adopting those
 *    still at work), ROUNDS times (default 3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store } from '../../src/core/store/store';
import { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { startPostgresServer } from '../helpers/postgres-server';
import { median, percentile } from './percentiles';
import { randomDag } from './random-dag';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const CHAIN = Number(process.env.CHAIN ?? 100);
const DAG_SIZE = Number(process.env.DAG_SIZE ?? 600);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const server = startPostgresServer([]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const made: string[] = [];
const teams: Team[] = [];

/**
 * WG_TRACE_RUNS=<prefix>: each coordinator records its hops (src/core/timing/run-hops.ts: wake, turn, each round trip
 * to the database, commit, spawn) into <prefix>-<team>-<n>.trace, through run-hops-recorder.cjs.
 */
const TRACE = process.env.WG_TRACE_RUNS?.trim() ?? '';
const HOPS_RECORDER = fileURLToPath(new URL('./run-hops-recorder.cjs', import.meta.url));
const traceEnv = (folder: string): NodeJS.ProcessEnv => {
  const at = made.indexOf(folder);
  if (TRACE === '' || at < 0) return {};
  return {
    WG_TRACE_RUNS: `${TRACE}-${folder.replace(/^.*wg-team-(\w+)-(\d+)-.*$/, '$1-$2')}.trace`,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${HOPS_RECORDER}`.trim(),
  };
};

const wg = (folder: string, ...args: string[]) =>
  execFileSync(process.execPath, [WG, ...args], {
    cwd: folder,
    env: { ...process.env, WG_HOME: join(folder, '.home'), ...(args[0] === 'service' ? traceEnv(folder) : {}) },
    encoding: 'utf8',
  });

interface Team {
  schema: string;
  url: string;
  folders: string[];
  sql(text: string): string;
}

function team(schema: string, size: number): Team {
  const url = server.url({ schema });
  const folders = Array.from({ length: size }, (_, i) => mkdtempSync(join(tmpdir(), `wg-team-${schema}-${i}-`)));
  made.push(...folders);
  for (const folder of folders) {
    execFileSync('git', ['init', '-q'], { cwd: folder });
    wg(folder, 'init', '--store', url, '-x', 'shell');
    wg(folder, 'config', '--max-agents', '8', '--worktrees', 'false');
  }
  wg(folders[0] as string, 'config', '--team-max-agents', '8');
  for (const folder of folders) wg(folder, 'service', 'start');
  return { schema, url, folders, sql: (text) => server.psql(`SET search_path = ${schema}; ${text}`).trim() };
}

function stop(t: Team): void {
  for (const folder of t.folders) {
    try {
      wg(folder, 'service', 'stop', '--kill-agents');
    } catch {
      // Not running.
    }
  }
}

async function addTasks(t: Team, tasks: Array<{ id: string; after: string[]; exec: string }>): Promise<void> {
  const store = await Store.open(t.url);
  try {
    await store.core.write(async () => {
      for (const task of tasks) await store.tasks.add({ title: task.id, id: task.id, after: task.after, exec: task.exec }, 'bench');
    });
  } finally {
    await store.close();
  }
}

async function allDone(t: Team, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Number(t.sql("SELECT count(*) FROM tasks WHERE status = 'done'")) < count) {
    if (Date.now() > deadline) throw new Error(`${t.schema}: not done within ${timeoutMs / 1000} s`);
    await sleep(50);
  }
}

async function chain(t: Team): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'wg-team-chain-'));
  made.push(dir);
  await addTasks(
    t,
    Array.from({ length: CHAIN }, (_, i) => ({
      id: `c${i}`,
      after: i === 0 ? [] : [`c${i - 1}`],
      exec: `date +%s%N > ${dir}/start-${i}; date +%s%N > ${dir}/end-${i}`,
    })),
  );
  await allDone(t, CHAIN, 120_000);
  const read = (name: string) => Number(BigInt(readFileSync(join(dir, name), 'utf8').trim()) / 1000n) / 1000;
  return Array.from({ length: CHAIN - 1 }, (_, i) => read(`start-${i + 1}`) - read(`end-${i}`));
}

/** The wait for the project's row lock, as every write takes it first, sampled every 20 ms until `done`. */
async function lockWaits(t: Team, done: () => boolean): Promise<number[]> {
  const conn = await PgConnection.open(parseStoreUrl(t.url), 10_000);
  const waits: number[] = [];
  try {
    while (!done()) {
      await conn.withoutProjectLock(async () => {
        // The BEGIN travels with this statement: one round trip, the same as when the row is free.
        const start = performance.now();
        await conn.pgQuery('SELECT rev FROM project WHERE id = 1 FOR UPDATE');
        waits.push(performance.now() - start);
      });
      await sleep(20);
    }
  } finally {
    await conn.close();
  }
  return waits;
}

/** CPU time the whole machine has spent (every process: coordinators, runs, the server), in ms, from /proc/stat. */
function machineCpuMs(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  // user nice system idle iowait irq softirq steal: all but idle and iowait, in clock ticks (100 a second).
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) * 10;
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** A process's CPU in ms from /proc/PID/stat: its own, and that of the children it has reaped; null once it is gone. */
function processCpu(pid: number): { ppid: number; own: number; reaped: number } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // After the command's name (in parentheses, which may hold spaces): state ppid … utime(14) stime cutime cstime.
  const fields = text
    .slice(text.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const at = (field: number) => fields[field - 3] ?? 0;
  return { ppid: at(4), own: (at(14) + at(15)) * TICK_MS, reaped: (at(16) + at(17)) * TICK_MS };
}

/**
 * Where the machine's CPU goes, in ms so far: the coordinators themselves, their runs (the wrappers and commands
 * they reaped), the server (the postmaster, its live backends and those that ended) and this bench.
 */
function cpuByPart(t: Team): Record<'coordinators' | 'runs' | 'server' | 'bench', number> {
  const parts = { coordinators: 0, runs: 0, server: 0, bench: 0 };
  for (const pid of t.sql('SELECT pid FROM coordinators').split('\n').filter(Boolean).map(Number)) {
    const cpu = processCpu(pid);
    parts.coordinators += cpu?.own ?? 0;
    parts.runs += cpu?.reaped ?? 0;
  }
  const postmaster = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const main = processCpu(postmaster);
  parts.server += (main?.own ?? 0) + (main?.reaped ?? 0);
  for (const entry of readdirSync('/proc')) {
    const cpu = /^\d+$/.test(entry) ? processCpu(Number(entry)) : null;
    if (cpu?.ppid === postmaster) parts.server += cpu.own;
  }
  const bench = process.cpuUsage();
  parts.bench = (bench.user + bench.system) / 1000;
  return parts;
}

async function claims(t: Team): Promise<{
  perSecond: number;
  waits: number[];
  commitsPerTask: number;
  cpuPerTaskMs: number;
  busyCores: number;
  cpuParts: Record<string, number>;
}> {
  const dag = randomDag(DAG_SIZE, 9);
  let finished = false;
  // Every commit takes a revision: how many the coordinators made for the DAG, per task.
  const rev = () => Number(t.sql('SELECT rev FROM project WHERE id = 1'));
  const revBefore = rev();
  const probe = lockWaits(t, () => finished);
  // Timed from the graph's commit: this process writing the 300 tasks (about 1.2 s on PostgreSQL, 0.85 s of its
  // CPU) is not the coordinators' work, and they see nothing of it before the commit.
  await addTasks(
    t,
    dag.map((after, i) => ({ id: `d${i}`, after: after.map((id) => id.replace(/^t/, 'd')), exec: '/bin/true' })),
  );
  const start = performance.now();
  const cpuBefore = machineCpuMs();
  const partsBefore = cpuByPart(t);
  await allDone(t, CHAIN + DAG_SIZE, 600_000);
  const wall = (performance.now() - start) / 1000;
  const cpu = machineCpuMs() - cpuBefore;
  const partsAfter = cpuByPart(t);
  finished = true;
  const cpuParts: Record<string, number> = {};
  for (const [part, before] of Object.entries(partsBefore))
    cpuParts[part] = (partsAfter[part as keyof typeof partsAfter] - before) / DAG_SIZE;
  cpuParts.other = cpu / DAG_SIZE - Object.values(cpuParts).reduce((a, b) => a + b, 0);
  return {
    perSecond: DAG_SIZE / wall,
    waits: await probe,
    commitsPerTask: (rev() - revBefore - 1) / DAG_SIZE,
    cpuPerTaskMs: cpu / DAG_SIZE,
    busyCores: cpu / 1000 / wall,
    cpuParts,
  };
}

async function idleWaits(t: Team): Promise<number[]> {
  const until = Date.now() + 3_000;
  return lockWaits(t, () => Date.now() > until);
}

async function takeovers(t: Team): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await addTasks(
      t,
      Array.from({ length: 12 }, (_, i) => ({ id: `k${round}-${i}`, after: [], exec: 'sleep 40' })),
    );
    // Runs under way on every coordinator.
    const deadline = Date.now() + 30_000;
    let victim: { id: string; pid: number; folder: string } | null = null;
    while (!victim) {
      if (Date.now() > deadline) throw new Error('no coordinator with runs');
      const line = t
        .sql(
          "SELECT c.id, c.pid, c.folder FROM coordinators c JOIN agents a ON a.coordinator_id = c.id WHERE a.state = 'working' AND c.role = 'holder' GROUP BY c.id, c.pid, c.folder ORDER BY count(*) DESC LIMIT 1",
        )
        .split('\n')[0];
      if (line) {
        const [id, pid, folder] = line.split('|');
        victim = { id: id as string, pid: Number(pid), folder: folder as string };
      } else await sleep(100);
    }
    const since = performance.now();
    process.kill(victim.pid, 'SIGKILL');
    while (t.sql(`SELECT count(*) FROM agents WHERE state = 'working' AND coordinator_id = '${victim.id}'`) !== '0') await sleep(20);
    times.push(performance.now() - since);
    wg(victim.folder, 'service', 'start');
    // The runs end (killed): the next round starts from none.
    for (const folder of t.folders) wg(folder, 'kill', '--all');
    await sleep(1_000);
  }
  return times;
}

/** What the coordinators' logs say of turns that failed: lines of each kind, all coordinators of the team. */
function logLines(t: Team): string {
  const kinds = {
    'turn gave way': /coordinator turn gave way/,
    'turn failed': /coordinator turn failed/,
    'tick failed': /tick failed/,
    '25P02 (aborted transaction)': /25P02/,
  };
  const text = t.folders
    .map((folder) => join(folder, '.workgraph/service/daemon.log'))
    .filter((log) => existsSync(log))
    .map((log) => readFileSync(log, 'utf8'))
    .join('\n')
    .split('\n');
  return Object.entries(kinds)
    .map(([kind, pattern]) => `${text.filter((line) => pattern.test(line)).length} ${kind}`)
    .join(', ');
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const split = (parts: Record<string, number>) =>
  Object.values(parts)
    .map((v) => v.toFixed(1))
    .join(' / ');
const pct = (samples: number[]) => `p50 ${ms(percentile(samples, 50))}, p99 ${ms(percentile(samples, 99))} (n=${samples.length})`;

try {
  const one = team('one', 1);
  const three = team('three', 3);
  teams.push(one, three);
  const idle = { one: await idleWaits(one), three: await idleWaits(three) };
  const latency = { one: await chain(one), three: await chain(three) };
  const rate = { one: await claims(one), three: await claims(three) };
  const lost = await takeovers(three);
  const rows = [
    ['', 'one coordinator', 'three coordinators'],
    ['done → dependent start', pct(latency.one), pct(latency.three)],
    [`claims/s (${DAG_SIZE}-task DAG, 8 slots)`, rate.one.perSecond.toFixed(0), rate.three.perSecond.toFixed(0)],
    ['CPU per task, whole machine (the DAG)', ms(rate.one.cpuPerTaskMs), ms(rate.three.cpuPerTaskMs)],
    ['… of which coordinators / runs / server / bench / other', split(rate.one.cpuParts), split(rate.three.cpuParts)],
    ['cores busy (the DAG)', rate.one.busyCores.toFixed(2), rate.three.busyCores.toFixed(2)],
    ['commits per task (the DAG)', rate.one.commitsPerTask.toFixed(2), rate.three.commitsPerTask.toFixed(2)],
    ['project row lock wait, busy', pct(rate.one.waits), pct(rate.three.waits)],
    ['project row lock wait, idle', pct(idle.one), pct(idle.three)],
    [
      'dead coordinator → runs taken over',
      '-',
      `median ${(median(lost) / 1000).toFixed(1)} s (min ${(Math.min(...lost) / 1000).toFixed(1)}, max ${(Math.max(...lost) / 1000).toFixed(1)}, n=${lost.length})`,
    ],
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  for (const row of rows) console.log(`| ${row.map((cell, c) => cell.padEnd(widths[c] as number)).join(' | ')} |`);
  console.log(`three/one claims per second: ${(rate.three.perSecond / rate.one.perSecond).toFixed(2)}`);
  for (const t of teams) console.log(`${t.schema}: ${logLines(t)}`);
} catch (error) {
  for (const folder of made) {
    const log = join(folder, '.workgraph/service/daemon.log');
    if (existsSync(log)) console.error(`${folder}:\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
  throw error;
} finally {
  for (const t of teams) stop(t);
  for (const folder of made) rmSync(folder, { recursive: true, force: true });
  server.stop();
}
