/**
 * `npx tsx test/bench/run-server.bench.ts [CHECKOUT...]`: the run server alone (fork-server.ts and
 * fork-server.sh, of this checkout or of each one given, side by side), starting RUNS no-op runs
 * (default 2,000), SLOTS (8) at a time, with an agent's environment in layers (the coordinator's
 * own and the run's, as its launcher sends them; ENV_WHOLE=1: whole, as the spawner process does). Prints
 * the wall time and the CPU of the server with its workers (or the jobs of older checkouts), and of
 * this process (the spawner's side), per run: CPU times are what a loaded machine cannot blur much.
 * With no cgroup (WG_NO_CGROUP=1 is set) and the run folders on /dev/shm where there is one, so that
 * only the server's own work is measured. RUN_COMMAND=… the runs' bash line (default `true`, which the
 * server runs with no fork; `/bin/true` forks and execs a program). Rounds alternate
 * between the checkouts, so that the machine's load falls on each alike.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type * as ForkServerModule from '../../src/core/coordinator/launching/fork-server';
import { runFiles } from '../../src/core/runs/files/run-files';
import { childrenOf, clockTicks, subtreeTicks, ticksOf } from './proc-cpu';
import { median } from './stats';

const RUNS = Number(process.env.RUNS ?? 2000);
const SLOTS = Number(process.env.SLOTS ?? 8);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const checkouts = process.argv.slice(2).map((path) => resolve(path));
if (checkouts.length === 0) checkouts.push(resolve(import.meta.dirname, '../..'));
const LAUNCHING = 'src/core/coordinator/launching';
process.env.WG_NO_CGROUP = '1';

/** The coordinator's environment, shared by every run (the base layer). */
const BASE: Record<string, string> = {};
for (const [name, value] of Object.entries(process.env)) if (value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) BASE[name] = value;

/** What a run adds to it: the WG_* contract and PATH with `wg` first, the run's own ids differing. */
function agentLayer(i: number): Record<string, string> {
  return {
    WG_TASK_ID: `t${i}`, WG_AGENT_ID: `agent-${i}`, WG_RUN_ID: randomBytes(16).toString('hex'), WG_DIR: '/tmp/project/.workgraph',
    WG_MODEL: 'claude-sonnet-4-5', WG_EXECUTOR: 'shell', WG_API_URL: 'http://127.0.0.1:41234', WG_API_TOKEN: 'x'.repeat(43), WG_BIN: '/tmp/project/.workgraph/bin/wg',
    PATH: `/tmp/project/.workgraph/service/bin:${BASE.PATH ?? ''}`,
  };
}

/** A run's environment as the coordinator's launcher gives it (prepareRun): in layers, whole only if asked for. */
function agentEnv(i: number): { env: Record<string, string>; layers?: { base: Record<string, string>; own: Record<string, string> } } {
  const own = agentLayer(i);
  if (process.env.ENV_WHOLE === '1') return { env: { ...BASE, ...own } };
  return {
    layers: { base: BASE, own },
    get env() {
      return { ...BASE, ...own };
    },
  };
}

async function round(checkout: string): Promise<{ wallMs: number; serverMs: number; ownMs: number }> {
  const { forkRun, forkServerHere } = (await import(join(checkout, LAUNCHING, 'fork-server.ts'))) as typeof ForkServerModule;
  const root = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'wg-run-server-bench-'));
  const server = forkServerHere(process.env, join(checkout, LAUNCHING, 'fork-server.sh'), (message) => console.error(message));
  if (!server) throw new Error('no bash 4 here');
  const ownBefore = process.cpuUsage();
  const childrenBefore = ticksOf('/proc/self/stat', [16, 17]);
  const start = performance.now();
  let next = 0;
  const slot = async () => {
    while (next < RUNS) {
      const i = next++;
      const files = runFiles(join(root, `agent-${i}`));
      mkdirSync(files.dir);
      const run = await forkRun(server, { files, runId: `r${i}`, command: 'bash', args: ['-c', process.env.RUN_COMMAND ?? 'true'], ...agentEnv(i), cwd: root, stdinFile: null });
      const end = await run.ended;
      if (end.status !== 0) throw new Error(`run ${i} ended ${JSON.stringify(end)}`);
    }
  };
  await Promise.all(Array.from({ length: SLOTS }, slot));
  const wallMs = performance.now() - start;
  const own = process.cpuUsage(ownBefore);
  // The server, its collected jobs and its live workers (which exit after it, collected by nobody
  // here), before it is closed; then what it and they did since, once it exited.
  const hz = clockTicks();
  const serverPid = childrenOf(process.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('wg-run-server'));
  const liveMs = serverPid === undefined ? 0 : (subtreeTicks(serverPid) / hz) * 1000;
  server.close();
  let serverMs = 0;
  for (let tries = 0; tries < 100; tries++) {
    await new Promise((r) => setTimeout(r, 50));
    const now = ((ticksOf('/proc/self/stat', [16, 17]) - childrenBefore) / hz) * 1000;
    if (now > 0 && now === serverMs) break;
    serverMs = now;
  }
  serverMs = Math.max(serverMs, liveMs);
  rmSync(root, { recursive: true, force: true });
  return { wallMs, serverMs, ownMs: (own.user + own.system) / 1000 };
}

async function main(): Promise<void> {
  const results = new Map<string, { wallMs: number; serverMs: number; ownMs: number }[]>();
  for (let r = 0; r < ROUNDS; r++) for (const checkout of checkouts) results.set(checkout, [...(results.get(checkout) ?? []), await round(checkout)]);
  console.log(`${RUNS} no-op runs, ${SLOTS} at a time, medians of ${ROUNDS} rounds (per run):`);
  for (const [checkout, rounds] of results) {
    const per = (pick: (r: { wallMs: number; serverMs: number; ownMs: number }) => number) => (median(rounds.map(pick)) / RUNS).toFixed(3);
    console.log(`  ${checkout}: wall ${per((r) => r.wallMs)} ms, server and workers' CPU ${per((r) => r.serverMs)} ms, spawner side CPU ${per((r) => r.ownMs)} ms`);
  }
}

void main();
