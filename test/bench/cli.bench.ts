/**
 * `npm run bench:cli`: what a `wg` start costs, as whole processes, against `node -e 0` in the same run.
 *
 * Every agent calls `wg` many times (log, artifact, done, show), so its start is what a person and an agent
 * feel. Each command runs ROUNDS times, interleaved with the others so load drifts hit all of them alike; a
 * process's CPU (user + system) and peak memory are taken by a `--require` hook at its exit
 * (process.resourceUsage covers the whole process from its start), without the machine's NODE_EXTRA_CA_CERTS
 * (test/helpers/machine-certificates.ts: Node 20 would add 31 ms to every start). The project is a connected
 * 1,000-task DAG shaped like a plan: each task depends on up to three of the 200 before it, has up to two of eight tags,
 * the first 30% done, with a log entry on every third task.
 *
 * Goals (issues 30 and 77): `wg --version` ≤ 1.3× node's CPU; `show`, `list`, `log`, `done` ≤ 2×; peak memory ≤ 1.5×.
 * Set WG_BIN to measure another build, WG_BASELINE to measure one more (for example a checkout of an older
 * main: its rows are measured in the same rounds, so the comparison does not depend on the machine's load, on a
 * project of the same shape made by its own store, whose schema may be older),
 * and NODE_BIN to run them under another Node (Electron 45's Node is 24), with MEASURED_SQLITE_BINDING naming a
 * better-sqlite3 built for that Node (given to the measured processes only, as WG_SQLITE_BINDING: this process makes the
 * projects with its own).
 * `wg` keeps its chunks' compiled code between starts itself (src/cli/code-cache.ts, on every Node; an older baseline
 * build used Node's compile cache where Node has one, 22.1 and later): the measured processes keep theirs in this run's own folder
 * (NODE_COMPILE_CACHE), made by the warm-up run, and `wg show ID` is measured once more without it
 * (NODE_DISABLE_COMPILE_CACHE), so its share is seen in the same rounds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { inOneTransaction, type OpenStore, storeOf } from './store-of';
import { leaveOutMachineCertificates } from '../helpers/machine-certificates';
import { median } from './percentiles';
import { seededRandom } from '../helpers/seeded-random';

const certificates = leaveOutMachineCertificates();
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const SIZE = Number(process.env.SIZE ?? 1_000);
const WG = resolve(process.env.WG_BIN ?? resolve(import.meta.dirname, '../../bin/wg.js'));
const NODE = process.env.NODE_BIN ?? process.execPath;
const BASELINE = process.env.WG_BASELINE ? resolve(process.env.WG_BASELINE) : null;

const work = mkdtempSync(join(tmpdir(), 'wg-cli-bench-'));
const hook = join(work, 'usage-hook.cjs');
const usageFile = join(work, 'usage.jsonl');
// Written at exit by the measured process itself: its whole CPU time and peak resident memory.
writeFileSync(
  hook,
  `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').appendFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000, rssKb: u.maxRSS }) + '\\n'); });\n`,
);

const TAGS = ['backend', 'frontend', 'docs', 'tests', 'infra', 'design', 'review', 'release'];

/** The project, made by `StoreOf` (each build measures a project of its own schema). */
async function populate(dir: string, openStore: OpenStore): Promise<void> {
  const random = seededRandom(7);
  const paths = projectPaths(dir);
  ensureProjectDirs(paths);
  const store = await openStore(paths.db);
  const ids: string[] = [];
  await inOneTransaction(store, async () => {
    for (let i = 0; i < SIZE; i++) {
      const window = ids.slice(Math.max(0, i - 200));
      const after = window.length
        ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => window[Math.floor(random() * window.length)] as string))]
        : [];
      const tags = [...new Set(Array.from({ length: Math.floor(random() * 3) }, () => TAGS[Math.floor(random() * TAGS.length)] as string))];
      ids.push((await store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i < 20 ? [] : after, tags }, 'bench')).id);
    }
    for (let i = 0; i < SIZE; i += 3) await store.tasks.log(`t${i}`, `progress on task ${i}: a step done, the next one named`, 'bench');
    for (let i = 0; i < SIZE * 0.3; i++) await store.tasks.done(`t${i}`, {}, 'bench');
    // Tasks with nothing before them, one for each `wg done` sample (of each build).
    for (let i = 0; i < ROUNDS; i++) await store.tasks.add({ title: `Free ${i}`, id: `free${i}` }, 'bench');
  });
  await store.close();
}

interface Sample {
  cpuMs: number;
  rssKb: number;
}

const compileCache = join(work, 'compile-cache');

function measure(args: string[], dir = project, env: Record<string, string> = {}): Sample {
  writeFileSync(usageFile, '');
  execFileSync(NODE, ['--require', hook, ...args], {
    stdio: 'ignore',
    env: {
      ...process.env,
      NODE_COMPILE_CACHE: compileCache,
      ...(process.env.MEASURED_SQLITE_BINDING ? { WG_SQLITE_BINDING: process.env.MEASURED_SQLITE_BINDING } : {}),
      ...env,
      WG_DIR: dir,
    },
  });
  const line = readFileSync(usageFile, 'utf8').trim().split('\n')[0];
  if (!line) throw new Error(`no usage written by ${args.join(' ')}`);
  return JSON.parse(line) as Sample;
}

const project = join(work, 'project', '.workgraph');
await populate(project, await storeOf(WG));
const baselineProject = join(work, 'baseline', '.workgraph');
if (BASELINE) await populate(baselineProject, await storeOf(BASELINE));

interface Command {
  label: string;
  goal: number;
  args: (round: number) => string[];
  dir?: string;
  env?: Record<string, string>;
}

/** The measured commands of one build, in its own project; `prefix` labels a baseline's rows. */
function wgCommands(wg: string, prefix: string, dir: string): Command[] {
  return [
    { label: `${prefix}wg --version`, goal: 1.3, args: () => [wg, process.env.VERSION_FLAG ?? '--version'], dir },
    { label: `${prefix}wg show ID`, goal: 2, args: () => [wg, 'show', 't500'], dir },
    {
      label: `${prefix}wg show ID, no compile cache`,
      goal: 2,
      args: () => [wg, 'show', 't500'],
      dir,
      env: { NODE_DISABLE_COMPILE_CACHE: '1' },
    },
    { label: `${prefix}wg list`, goal: 2, args: () => [wg, 'list'], dir },
    { label: `${prefix}wg list --json`, goal: 2, args: () => [wg, 'list', '--json'], dir },
    { label: `${prefix}wg log ID MSG`, goal: 2, args: (round) => [wg, 'log', 't500', `bench note ${round}`], dir },
    { label: `${prefix}wg done ID`, goal: 2, args: (round) => [wg, 'done', `free${round}`], dir },
  ];
}

const commands: Command[] = [
  { label: 'node -e 0', goal: 1, args: () => ['-e', '0'] },
  ...wgCommands(WG, '', project),
  ...(BASELINE ? wgCommands(BASELINE, 'baseline ', baselineProject) : []),
];

const loadAverage = (): string => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const loadBefore = loadAverage();
const samples = new Map<string, Sample[]>(commands.map((c) => [c.label, []]));
measure(['-e', '0']); // warm the file cache
measure([WG, 'list']);
if (BASELINE) measure([BASELINE, 'list'], baselineProject);
for (let round = 0; round < ROUNDS; round++) {
  for (const command of commands) samples.get(command.label)?.push(measure(command.args(round), command.dir, command.env));
}

const nodeCpu = median((samples.get('node -e 0') ?? []).map((s) => s.cpuMs));
const nodeRss = median((samples.get('node -e 0') ?? []).map((s) => s.rssKb));
console.log(
  `wg: ${WG}${BASELINE ? `; baseline: ${BASELINE}` : ''}; node: ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}`,
);
console.log(`${SIZE}-task connected DAG, ${ROUNDS} rounds, medians; load average ${loadBefore} before, ${loadAverage()} after`);
if (certificates) console.log(certificates);
console.log('| command | CPU ms | × node | goal | peak MB | × node |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const command of commands) {
  const list = samples.get(command.label) ?? [];
  const cpu = median(list.map((s) => s.cpuMs));
  const rss = median(list.map((s) => s.rssKb));
  console.log(
    `| ${command.label} | ${cpu.toFixed(1)} | ${(cpu / nodeCpu).toFixed(2)} | ≤ ${command.goal} | ${(rss / 1024).toFixed(1)} | ${(rss / nodeRss).toFixed(2)} |`,
  );
}
// BENCH_KEEP=1 keeps the projects, for profiling a command on them by hand.
if (process.env.BENCH_KEEP) console.log(`projects kept in ${work}`);
else rmSync(work, { recursive: true, force: true });
