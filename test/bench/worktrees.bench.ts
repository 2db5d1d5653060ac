/**
 * `npm run bench:worktrees`: what a run's worktree costs on repositories of 1k, 10k and 50k files:
 * making it (prepareRunWorktree: `git worktree add` of the whole tree, the exclude file, the record)
 * and merging its work on done (mergeTaskWork: the dirty check, merge-tree, commit-tree, update-ref,
 * and bringing the person's checkout along). Medians of 5, each size measured in the same run, with
 * plain `git worktree add` alone beside it as the floor. Goal: each under 1 s at 10k files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { mergeTaskWork, prepareRunWorktree } from '../../src/core/worktrees/index';
import { traceGit, type GitStep } from './git-trace';
import { fmt, median } from './percentiles';

/** BENCH_SIZES=1000,5000 for a quick look. */
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const SAMPLES = 5;
/** Files each agent changes before its merge. */
const CHANGED = 10;
/** BENCH_PROFILE=1: one more create and merge per size with git's trace2 on, printed per git command. */
const PROFILE = process.env.BENCH_PROFILE === '1';

Object.assign(process.env, {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench',
  GIT_AUTHOR_EMAIL: 'bench@example.invalid',
  GIT_COMMITTER_NAME: 'Bench',
  GIT_COMMITTER_EMAIL: 'bench@example.invalid',
});

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

async function timed<T>(work: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** A repository of `files` small source files, 100 to a folder, committed on main, with a workgraph project. */
function makeRepo(files: number): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), 'wg-bench-wt-'));
  const dir = join(root, 'project');
  for (let i = 0; i < files; i++) {
    const folder = join(dir, 'src', `m${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `f${i}.ts`), `export const value${i} = ${i};\n// line two of file ${i}\n`);
  }
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'initial']);
  return { root, dir };
}

const lines: string[] = [];
const medians = new Map<number, { plain: number; create: number; merge: number }>();
for (const size of SIZES) {
  const setupStart = Date.now();
  const { root, dir } = makeRepo(size);
  const paths = projectPaths(join(dir, '.workgraph'));
  ensureProjectDirs(paths);
  const store = await Store.open(paths.db);
  const settings = { coordinator: DEFAULT_SETTINGS.coordinator };
  const plain: number[] = [];
  const create: number[] = [];
  const merge: number[] = [];
  /** One agent's worktree, 10 changed files committed in it, and its merge; each step timed. */
  const agentRound = async (n: number) => {
    const taskId = `task-${n}`;
    const agentId = `agent-${n}`;
    await store.tasks.add({ title: `Task ${n}`, id: taskId }, 'bench');
    const [createMs, wt] = await timed(() => prepareRunWorktree({ store, paths, settings, taskId, agentId, executorType: 'claude' }));
    if (!wt) throw new Error('no worktree made');
    for (let f = 0; f < CHANGED; f++) {
      const i = (n * 997 + f * 131) % size;
      writeFileSync(
        join(wt.path, 'src', `m${Math.floor(i / 100)}`, `f${i}.ts`),
        `export const value${i} = ${i * n};\n// changed by ${agentId}\n`,
      );
    }
    git(wt.path, ['commit', '-q', '-am', `work of ${agentId}`]);
    const [mergeMs, outcome] = await timed(() => mergeTaskWork({ store, paths }, { id: taskId, title: `Task ${n}` }, agentId));
    if (outcome.kind !== 'merged' || !outcome.commit) throw new Error(`merge ${n}: ${outcome.kind}`);
    return { createMs, mergeMs };
  };
  for (let n = 1; n <= SAMPLES; n++) {
    // Plain `git worktree add` of the same tree: the floor for making a worktree.
    const [plainMs] = await timed(async () => git(dir, ['worktree', 'add', '-q', '-b', `plain-${n}`, join(root, `plain-${n}`), 'main']));
    plain.push(plainMs);
    const { createMs, mergeMs } = await agentRound(n);
    create.push(createMs);
    merge.push(mergeMs);
  }
  if (PROFILE) {
    let round = { createMs: 0, mergeMs: 0 };
    const { steps } = await traceGit(async () => {
      round = await agentRound(SAMPLES + 1);
    });
    console.log(
      `${String(size).padStart(6)} files, one traced round (create ${fmt(round.createMs)}, merge ${fmt(round.mergeMs)}); git commands in start order:`,
    );
    console.log(`    ${steps.map((step: GitStep) => `${step.command} ${step.ms.toFixed(0)}`).join(' | ')} (ms)`);
  }
  await store.close();
  const m = { plain: median(plain), create: median(create), merge: median(merge) };
  medians.set(size, m);
  lines.push(
    `${String(size).padStart(6)} files | git worktree add ${fmt(m.plain).padStart(10)} | create ${fmt(m.create).padStart(10)} ` +
      `| merge (${CHANGED} files, checkout updated) ${fmt(m.merge).padStart(10)}   [repo made in ${((Date.now() - setupStart) / 1000).toFixed(1)} s]`,
  );
  console.log(lines.at(-1));
  rmSync(root, { recursive: true, force: true });
}

const base = medians.get(SIZES[0] as number);
console.log('\nGrowth against 1k files (create / merge):');
for (const size of SIZES) {
  const m = medians.get(size);
  if (!m || !base) continue;
  console.log(
    `${String(size).padStart(6)} files: create ${(m.create / base.create).toFixed(2)}x, merge ${(m.merge / base.merge).toFixed(2)}x`,
  );
}
const ten = medians.get(10_000);
if (ten) console.log(`\nAt 10k files: create ${fmt(ten.create)}, merge ${fmt(ten.merge)} (goal: each under 1 s)`);
