/**
 * `npx tsx test/bench/takeover.bench.ts` (or `npm run bench:takeover`, which builds the CLI first): how long a
 * dead coordinator's runs on a team's graph wait for another to take them over (every coordinator is active:
 * ready work goes on being claimed by the others meanwhile).
 *
 * Two coordinators (`wg service start` in two folders naming one PostgreSQL store, a server this bench starts on a
 * unix socket with its own durability settings), each with runs under way (`sleep 60`): one is killed (kill -9)
 * and the time until none of its runs is left to it is taken from the store (read with psql every 20 ms); it is
 * started again, and again, ROUNDS times (default 7). Each kill -9 is taken twice, side by side: on an idle machine,
 * and under load (HOGS processes, default 2, each spinning a core for the whole round: this machine's other work),
 * with both moments timed: the dead one declared lost (its row's role), and its runs the survivor's. Then the same
 * with `wg service stop` (its agents left running), a clean stop that ends its lease at once. Medians, with the range,
 * and `uptime` before and after.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPostgresServer } from '../helpers/postgres-server';
import { median } from './percentiles';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const HOGS = Number(process.env.HOGS ?? 2);
const server = startPostgresServer([]);
const url = server.url({ schema: 'takeover' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const folders = ['a', 'b'].map((name) => mkdtempSync(join(tmpdir(), `wg-takeover-${name}-`)));
const wg = (folder: string, ...args: string[]) =>
  execFileSync(process.execPath, [WG, ...args], { cwd: folder, env: { ...process.env, WG_HOME: join(folder, '.home') }, encoding: 'utf8' });

const sql = (text: string) => server.psql(`SET search_path = takeover; ${text}`).trim();

/** The active coordinator with the most runs under way. */
async function busiest(): Promise<{ id: string; pid: number; folder: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const line = sql(
      "SELECT c.id, c.pid, c.folder FROM coordinators c JOIN agents a ON a.coordinator_id = c.id WHERE a.state = 'working' AND c.role = 'holder' GROUP BY c.id, c.pid, c.folder ORDER BY count(*) DESC LIMIT 1",
    ).split('\n')[0];
    if (line) {
      const [id, pid, folder] = line.split('|');
      return { id: id as string, pid: Number(pid), folder: folder as string };
    }
    if (Date.now() > deadline) throw new Error('no coordinator with runs within 60 s');
    await sleep(50);
  }
}

interface Takeover {
  /** From the kill (or stop) until the dead one's row says lost (a stop's row is not declared lost: NaN). */
  lost: number;
  /** From the kill (or stop) until none of its runs is left to it. */
  taken: number;
}

/** Processes that spin a core each while `work` runs: the load of a machine shared with other work. */
async function underLoad<T>(hogs: number, work: () => Promise<T>): Promise<T> {
  const spinning: ChildProcess[] = [];
  for (let i = 0; i < hogs; i++) spinning.push(spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    return await work();
  } finally {
    for (const hog of spinning) hog.kill('SIGKILL');
  }
}

async function takeover(how: 'kill -9' | 'wg service stop', round: number, tag: string): Promise<Takeover> {
  wg(folders[0] as string, 'add', `long ${how} ${tag} ${round}`, '--exec', 'sleep 60');
  wg(folders[0] as string, 'add', `long ${how} ${tag} ${round} again`, '--exec', 'sleep 60');
  const old = await busiest();
  const since = performance.now();
  if (how === 'kill -9') process.kill(old.pid, 'SIGKILL');
  else wg(old.folder, 'service', 'stop');
  const deadline = Date.now() + 60_000;
  let lost = Number.NaN;
  for (;;) {
    if (Number.isNaN(lost) && sql(`SELECT role FROM coordinators WHERE id = '${old.id}'`) === 'lost') lost = performance.now() - since;
    if (sql(`SELECT count(*) FROM agents WHERE state = 'working' AND coordinator_id = '${old.id}'`) === '0') break;
    if (Date.now() > deadline) throw new Error('no takeover within 60 s');
    await sleep(20);
  }
  const taken = performance.now() - since;
  if (Number.isNaN(lost) && sql(`SELECT role FROM coordinators WHERE id = '${old.id}'`) === 'lost') lost = taken;
  wg(old.folder, 'service', 'start');
  for (const folder of folders) wg(folder, 'kill', '--all');
  await sleep(1_000 + Math.random() * 1_000);
  return { lost, taken };
}

try {
  for (const folder of folders) {
    execFileSync('git', ['init', '-q'], { cwd: folder });
    wg(folder, 'init', '--store', url, '-x', 'shell');
  }
  for (const folder of folders) wg(folder, 'service', 'start');
  const before = loadavg();
  const idle: Takeover[] = [];
  const loaded: Takeover[] = [];
  const stopped: Takeover[] = [];
  // Side by side, round by round: what the machine's other work does to it is not a difference of the hour.
  for (let round = 0; round < ROUNDS; round++) {
    idle.push(await takeover('kill -9', round, 'idle'));
    loaded.push(await underLoad(HOGS, () => takeover('kill -9', round, 'loaded')));
  }
  for (let round = 0; round < ROUNDS; round++) stopped.push(await takeover('wg service stop', round, 'stop'));
  const after = loadavg();
  const line = (what: string, times: number[]) =>
    `${what.padEnd(52)} median ${(median(times) / 1000).toFixed(2)} s  (min ${(Math.min(...times) / 1000).toFixed(2)}, max ${(Math.max(...times) / 1000).toFixed(2)}, n=${times.length})`;
  console.log(
    line(
      'declared lost after kill -9, idle',
      idle.map((t) => t.lost),
    ),
  );
  console.log(
    line(
      'runs taken over after kill -9, idle',
      idle.map((t) => t.taken),
    ),
  );
  console.log(
    line(
      `declared lost after kill -9, ${HOGS} cores spinning`,
      loaded.map((t) => t.lost),
    ),
  );
  console.log(
    line(
      `runs taken over after kill -9, ${HOGS} cores spinning`,
      loaded.map((t) => t.taken),
    ),
  );
  console.log(
    line(
      'runs taken over after a clean stop',
      stopped.map((t) => t.taken),
    ),
  );
  console.log(
    `load average (1, 5, 15 min) before ${before.map((l) => l.toFixed(2)).join(', ')}; after ${after.map((l) => l.toFixed(2)).join(', ')}`,
  );
} catch (error) {
  // What the coordinators said, to see why.
  for (const folder of folders) {
    const log = join(folder, '.workgraph/service/daemon.log');
    if (existsSync(log)) console.error(`${folder}:\n${readFileSync(log, 'utf8').split('\n').slice(-15).join('\n')}`);
  }
  throw error;
} finally {
  for (const folder of folders) {
    try {
      wg(folder, 'service', 'stop', '--kill-agents');
    } catch {
      // Not running.
    }
    rmSync(folder, { recursive: true, force: true });
  }
  server.stop();
}
