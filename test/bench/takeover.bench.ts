/**
 * `npx tsx test/bench/takeover.bench.ts` (or `npm run bench:takeover`, which builds the CLI first): how long a
 * team's graph is without a coordinator when its lease's holder dies.
 *
 * Two coordinators (`wg service start` in two folders naming one PostgreSQL store, a server this bench starts on a
 * unix socket with its own durability settings): the holder is killed (kill -9) and the time until the standby
 * holds the lease is taken from the lease table (read with psql every 20 ms); the killed one is started again as
 * the standby, and again, ROUNDS times (default 7). Then the same with `wg service stop` of the holder, a clean
 * stop that hands over at once. Medians, with the range.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startPostgresServer } from '../helpers/postgres-server';
import { median } from './percentiles';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const server = startPostgresServer([]);
const url = server.url({ schema: 'takeover' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const folders = ['a', 'b'].map((name) => mkdtempSync(join(tmpdir(), `wg-takeover-${name}-`)));
const wg = (folder: string, ...args: string[]) =>
  execFileSync(process.execPath, [WG, ...args], { cwd: folder, env: { ...process.env, WG_HOME: join(folder, '.home') }, encoding: 'utf8' });

function holder(): { pid: number; folder: string; epoch: number } | null {
  const line = server
    .psql("SELECT pid, folder, epoch FROM takeover.coordinators WHERE role = 'holder' AND expires_at > extract(epoch FROM now()) * 1000")
    .trim();
  if (!line) return null;
  const [pid, folder, epoch] = line.split('|');
  return { pid: Number(pid), folder: folder as string, epoch: Number(epoch) };
}

async function nextHolder(epoch: number): Promise<{ pid: number; folder: string; epoch: number }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = holder();
    if (now && now.epoch > epoch) return now;
    if (Date.now() > deadline) throw new Error('no takeover within 60 s');
    await sleep(20);
  }
}

async function rounds(how: 'kill -9' | 'wg service stop'): Promise<number[]> {
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const old = holder();
    if (!old) throw new Error('no holder');
    const since = performance.now();
    if (how === 'kill -9') process.kill(old.pid, 'SIGKILL');
    else wg(old.folder, 'service', 'stop');
    await nextHolder(old.epoch);
    times.push(performance.now() - since);
    wg(old.folder, 'service', 'start');
    // A moment as a standby before the next round, as in a team's day.
    await sleep(1_000 + Math.random() * 1_000);
  }
  return times;
}

try {
  for (const folder of folders) {
    execFileSync('git', ['init', '-q'], { cwd: folder });
    wg(folder, 'init', '--store', url, '-x', 'shell');
  }
  for (const folder of folders) wg(folder, 'service', 'start');
  const killed = await rounds('kill -9');
  const stopped = await rounds('wg service stop');
  const line = (what: string, times: number[]) =>
    `${what.padEnd(34)} median ${(median(times) / 1000).toFixed(2)} s  (min ${(Math.min(...times) / 1000).toFixed(2)}, max ${(Math.max(...times) / 1000).toFixed(2)}, n=${times.length})`;
  console.log(line('takeover after kill -9 of holder', killed));
  console.log(line('handover after wg service stop', stopped));
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
      wg(folder, 'service', 'stop');
    } catch {
      // Not running.
    }
    rmSync(folder, { recursive: true, force: true });
  }
  server.stop();
}
