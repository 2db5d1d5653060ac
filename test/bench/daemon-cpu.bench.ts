import { sqlText } from '../helpers/sql-text';
/**
 * `npx tsx test/bench/daemon-cpu.bench.ts`: the coordinator's own CPU on the no-op DAG, in this process
 * (openCoordinator and the real launcher), with what it did to the database: SQL statements
 * a task (the most frequent listed with COUNT=1; none counted with COUNT=0), commits and WAL frames a task, and the frames of a
 * commit by the table or index they belong to. The dispatch bench measures the daemon from outside;
 * this one says where its work goes.
 *
 * WG_BASELINE=/path/to/other/checkout/bin/wg.js runs that checkout's coordinator too, alternating
 * (ROUNDS=N pairs, 2 unless said), so a comparison does not depend on the machine's load at one moment.
 * DAG_SIZE=N (2,000), DAG_COMMAND (`true`), BASE=folder for the projects (/dev/shm if there is one).
 */
import type Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { StoreCore } from '../../src/core/store/store-core';
import type * as CoordinatorService from '../../src/core/service/coordinator-service';
import type * as Project from '../../src/core/project';
import type * as StoreModule from '../../src/core/store/store';
import type { ServiceLog } from '../../src/core/service/service-log';
import { randomDag } from './random-dag';
import { median } from './percentiles';

const HERE = resolve(import.meta.dirname, '../..');
const BASELINE = process.env.WG_BASELINE ? resolve(dirname(process.env.WG_BASELINE), '..') : null;
const DAG_SIZE = Number(process.env.DAG_SIZE ?? 2000);
/** The tasks' command: `true` is a bash builtin (`bash -c true` execs nothing more); `/bin/true` (DAG_COMMAND=/bin/true) is a program (an exec, and a cgroup join where there are cgroups). */
const DAG_COMMAND = process.env.DAG_COMMAND ?? 'true';
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const LIST = process.env.COUNT === '1';
/** COUNT=0: statements are not counted (the counting wrapper's own cost is then not in the CPU figure, e.g. under --cpu-prof). */
const COUNTING = process.env.COUNT !== '0';
const BASE = process.env.BASE ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Figures {
  cpuMsPerTask: number;
  statementsPerTask: number;
  commitsPerTask: number;
  framesPerTask: number;
  framesByTree: Map<string, number>;
  statements: Map<string, number>;
}

/** Counts every execution of the statements `core` prepares, by SQL text. */
function countStatements(core: StoreCore, counts: Map<string, number>): void {
  const prepared = core.statement.bind(core);
  const counted = new WeakSet<object>();
  core.statement = ((text: string) => {
    const statement = prepared(text);
    if (!counted.has(statement)) {
      counted.add(statement);
      for (const method of ['run', 'get', 'all', 'send'] as const) {
        const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
        (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
          counts.set(text, (counts.get(text) ?? 0) + 1);
          return original(...args);
        };
      }
    }
    return statement;
  }) as typeof core.statement;
}

/** WAL frames (page number, whether it ends a commit) as written since the WAL was last truncated. */
function walFrames(db: Database.Database, walPath: string): Array<{ page: number; commit: boolean }> {
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const wal = readFileSync(walPath);
  const frames: Array<{ page: number; commit: boolean }> = [];
  for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize)
    frames.push({ page: wal.readUInt32BE(at), commit: wal.readUInt32BE(at + 4) !== 0 });
  return frames;
}

async function run(root: string): Promise<Figures> {
  const { projectPaths, ensureProjectDirs } = (await import(join(root, 'src/core/project.ts'))) as typeof Project;
  const { Store } = (await import(join(root, 'src/core/store/store.ts'))) as typeof StoreModule;
  const { openCoordinator } = (await import(join(root, 'src/core/service/coordinator-service.ts'))) as typeof CoordinatorService;
  process.env.WG_CLI_PATH = join(root, 'out/cli/wg.cjs');
  const folder = mkdtempSync(join(BASE, 'wg-bench-daemon-cpu-'));
  process.env.WG_HOME = join(folder, '.home');
  const paths = projectPaths(join(folder, '.workgraph'));
  ensureProjectDirs(paths);
  writeFileSync(paths.config, '[coordinator]\nexecutor = "shell"\npoll_interval = 3600\nmax_agents = 8\n');
  const dag = randomDag(DAG_SIZE);
  const setup = await Store.open(paths.db);
  await setup.core.write(async () => {
    await setup.tasks.add({ title: 'gate', id: 'gate', executor: 'manual' }, 'bench');
    for (const [i, deps] of dag.entries()) {
      await setup.tasks.add({ title: `t${i}`, id: `t${i}`, after: deps.length ? deps : ['gate'], exec: DAG_COMMAND }, 'bench');
    }
  });
  await setup.close();
  const quiet: ServiceLog = { info: () => undefined, warn: () => undefined, error: () => undefined, recentErrors: () => [] };
  const coordinator = await openCoordinator({ paths, host: 'daemon', log: quiet });
  const { db } = coordinator.store.core;
  // Every frame stays in the WAL to be read back (the checkpoint would fold them into the database).
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const statements = new Map<string, number>();
  if (COUNTING) countStatements(coordinator.store.core, statements);
  const bench = await Store.open(paths.db);
  const doneCount = sqlText<{ n: number }>(bench.core, "SELECT count(*) AS n FROM tasks WHERE status = 'done'");
  await sleep(300);
  statements.clear();
  const cpu = process.cpuUsage();
  await bench.tasks.done('gate', {}, 'bench');
  coordinator.engine.wake();
  // Every 50 ms: the count is this process's CPU too.
  while (((await doneCount.get()) as { n: number }).n !== dag.length + 1) await sleep(50);
  const used = process.cpuUsage(cpu);
  const owner = new Map(
    (db.prepare('SELECT name, pageno FROM dbstat').all() as Array<{ name: string; pageno: number }>).map((r) => [r.pageno, r.name]),
  );
  const frames = walFrames(db, `${paths.db}-wal`);
  const commits = frames.filter((f) => f.commit).length;
  const framesByTree = new Map<string, number>();
  for (const { page } of frames) {
    const tree = owner.get(page) ?? (page === 1 ? 'sqlite_schema' : 'other');
    framesByTree.set(tree, (framesByTree.get(tree) ?? 0) + 1 / Math.max(commits, 1));
  }
  await coordinator.close({ killAgents: true });
  await bench.close();
  rmSync(folder, { recursive: true, force: true });
  const total = [...statements.values()].reduce((a, b) => a + b, 0);
  return {
    cpuMsPerTask: (used.user + used.system) / 1000 / DAG_SIZE,
    statementsPerTask: total / DAG_SIZE,
    commitsPerTask: commits / DAG_SIZE,
    framesPerTask: frames.length / DAG_SIZE,
    framesByTree,
    statements,
  };
}

function show(label: string, runs: Figures[]): void {
  const last = runs.at(-1) as Figures;
  console.log(
    `${label}: daemon CPU ${runs.map((r) => r.cpuMsPerTask.toFixed(3)).join(', ')} ms a task (median ${median(runs.map((r) => r.cpuMsPerTask)).toFixed(3)}); ` +
      `${last.statementsPerTask.toFixed(1)} statements, ${last.commitsPerTask.toFixed(2)} commits, ${last.framesPerTask.toFixed(1)} WAL frames a task`,
  );
  const trees = [...last.framesByTree].sort((a, b) => b[1] - a[1]).map(([name, n]) => `${name} ${n.toFixed(2)}`);
  console.log(`  WAL frames a commit: ${trees.join(', ')}`);
  if (LIST)
    for (const [text, n] of [...last.statements].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`  ${(n / DAG_SIZE).toFixed(2)}/task  ${text.replace(/\s+/g, ' ').slice(0, 110)}`);
}

async function main(): Promise<void> {
  const mine: Figures[] = [];
  const theirs: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which goes first, so neither always runs on the warmer (or busier) machine.
    if (BASELINE && round % 2 === 1) theirs.push(await run(BASELINE));
    mine.push(await run(HERE));
    if (BASELINE && round % 2 === 0) theirs.push(await run(BASELINE));
  }
  console.log(`${DAG_SIZE}-task no-op DAG, 8 at a time, in ${BASE}, the coordinator in this process (node ${process.version}):`);
  show(HERE, mine);
  if (BASELINE) show(`baseline ${BASELINE}`, theirs);
  // The coordinator is closed; a baseline's helper processes may still hold this process open.
  process.exit(0);
}

void main();
