import { sqlText } from '../helpers/sql-text';
/**
 * `npx tsx test/bench/daemon-syscalls.bench.ts`: the system calls the daemon's main thread makes a task
 * on the no-op DAG (`strace -c` attached to the `wg service` daemon while the DAG runs), by name.
 * Counts do not move with the machine's load, where CPU time moves ±15% on a shared machine (and this
 * VM has no hardware counters for instructions): a cut of a few calls a task shows here exactly,
 * side by side with another checkout. strace slows the daemon several times: no timing is reported.
 *
 * WG_BASELINE=/path/to/other/checkout/bin/wg.js runs that checkout's daemon too. DAG_SIZE=N (2,000), DAG_COMMAND (`true`),
 * BASE=folder (/dev/shm if there is one), TOP=N names listed (12). Needs Linux `strace`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { pokeCoordinator } from '../../src/core/connecting/coordinator-poke';
import { readServiceState } from '../../src/core/service-state/state-file';
import { inOneTransaction, storeOf } from './store-of';
import { randomDag } from './random-dag';

const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const BASELINE = process.env.WG_BASELINE ? resolve(process.env.WG_BASELINE) : null;
const DAG_SIZE = Number(process.env.DAG_SIZE ?? 2000);
/** The tasks' command: `true` is a bash builtin (`bash -c true` execs nothing more); `/bin/true` (DAG_COMMAND=/bin/true) is a program (an exec, and a cgroup join where there are cgroups). */
const DAG_COMMAND = process.env.DAG_COMMAND ?? 'true';
const TOP = Number(process.env.TOP ?? 12);
const BASE = process.env.BASE ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls by system call name, from `strace -c`'s table. */
function parseSummary(text: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    // % time, seconds, usecs/call, calls, [errors,] syscall
    if (fields.length < 5 || !/^\d+\.\d+$/.test(fields[0] ?? '')) continue;
    const name = fields[fields.length - 1] ?? '';
    if (name === 'total') continue;
    calls.set(name, Number(fields[3]));
  }
  return calls;
}

async function run(wgPath: string, dag: string[][]): Promise<Map<string, number>> {
  const root = mkdtempSync(join(BASE, 'wg-bench-syscalls-'));
  const paths = projectPaths(join(root, '.workgraph'));
  ensureProjectDirs(paths);
  writeFileSync(paths.config, '[coordinator]\nexecutor = "shell"\npoll_interval = 3600\n');
  const env = { ...process.env, WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '' };
  const wg = (...args: string[]) =>
    execFileSync(process.execPath, [wgPath, '--dir', paths.dir, ...args], { cwd: root, env, encoding: 'utf8' });
  const store = await (await storeOf(wgPath))(paths.db);
  const output = join(root, 'strace.txt');
  try {
    await inOneTransaction(store, async () => {
      await store.tasks.add({ title: 'gate', id: 'gate', executor: 'manual' }, 'bench');
      for (const [i, deps] of dag.entries()) {
        await store.tasks.add({ title: `t${i}`, id: `t${i}`, after: deps.length ? deps : ['gate'], exec: DAG_COMMAND }, 'bench');
      }
    });
    wg('service', 'start', '--max-agents', '8');
    const pid = readServiceState(paths)?.pid as number;
    // The main thread only (-p without -f): the coordinator's own work, not V8's or libuv's helpers.
    const strace = spawn('strace', ['-c', '-o', output, '-p', String(pid)], { stdio: 'ignore' });
    const exited = new Promise((r) => strace.on('exit', r));
    await sleep(500); // attached
    await store.tasks.done('gate', {}, 'bench');
    await pokeCoordinator(paths);
    const doneCount = sqlText<{ n: number }>(store.core, "SELECT count(*) AS n FROM tasks WHERE status = 'done'");
    while (((await doneCount.get()) as { n: number }).n < dag.length + 1) await sleep(20);
    await sleep(1500); // the last runs' leftovers are looked at a second after they end
    strace.kill('SIGINT');
    await exited;
    return parseSummary(readFileSync(output, 'utf8'));
  } finally {
    try {
      wg('service', 'stop', '--kill-agents');
    } catch {
      // already stopped
    }
    await store.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const dag = randomDag(DAG_SIZE);
  const mine = await run(WG, dag);
  const theirs = BASELINE ? await run(BASELINE, dag) : null;
  const total = (calls: Map<string, number>) => [...calls.values()].reduce((a, b) => a + b, 0);
  const perTask = (n: number) => (n / DAG_SIZE).toFixed(2);
  console.log(
    `${DAG_SIZE}-task no-op DAG, 8 at a time, in ${BASE}: the daemon's main thread, system calls a task${theirs ? ' (this checkout / baseline)' : ''}`,
  );
  console.log(`  all: ${perTask(total(mine))}${theirs ? ` / ${perTask(total(theirs))}` : ''}`);
  const names = [...new Set([...mine.keys(), ...(theirs?.keys() ?? [])])]
    .sort((a, b) => Math.max(theirs?.get(b) ?? 0, mine.get(b) ?? 0) - Math.max(theirs?.get(a) ?? 0, mine.get(a) ?? 0))
    .slice(0, TOP);
  for (const name of names)
    console.log(`  ${name}: ${perTask(mine.get(name) ?? 0)}${theirs ? ` / ${perTask(theirs.get(name) ?? 0)}` : ''}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
