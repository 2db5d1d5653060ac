import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { jobUserEnv, type JobUser } from './run-as';

const inherited = (env: Record<string, string>): Record<string, string> => {
  const all: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) all[key] = value;
  return Object.assign(all, env);
};

/** The working tree as a git tree object (untracked files included, .gitignore respected), and HEAD's branch. */
export interface TreeSnapshot {
  tree: string;
  head: string | null;
  branch: string | null;
}

/**
 * Git in a job's folder runs as the job's user (RUN_AS): the folder is the job's to change, and git
 * as root there would run what the job wrote into its config (hooks, core.fsmonitor).
 */
function run(cwd: string, args: string[], as: JobUser | null, env: Record<string, string>, maxBuffer: number) {
  const user = as ? { uid: as.uid, gid: as.gid, extendEnv: false, env: jobUserEnv(inherited(env), as) } : { env };
  return execa('git', args, { cwd, reject: false, timeout: 60_000, maxBuffer, ...user });
}

async function git(cwd: string, args: string[], as: JobUser | null, env: Record<string, string> = {}): Promise<string | null> {
  const result = await run(cwd, args, as, env, 64 * 1024 * 1024);
  return result.exitCode === 0 ? String(result.stdout).trim() : null;
}

/**
 * A diff is read up to this much, more than a result carries (MAX_RESULT_DIFF_CHARS): enough to cut it
 * after a whole file. The rest stays in the job's folder; reading it all (up to git's buffer) only to
 * drop it cost the daemon its memory.
 */
const DIFF_READ_LIMIT = 8 * 1024 * 1024;

/** The diff between two trees: whole, or its first DIFF_READ_LIMIT characters; null when git failed. */
async function readDiff(cwd: string, from: string, to: string, as: JobUser | null): Promise<{ text: string; whole: boolean } | null> {
  const result = await run(cwd, ['diff', '--binary', from, to], as, {}, DIFF_READ_LIMIT);
  // Past the limit git is stopped and what it printed so far is kept (execa's maxBuffer).
  if (result.isMaxBuffer) return { text: String(result.stdout), whole: false };
  return result.exitCode === 0 ? { text: String(result.stdout).trim(), whole: true } : null;
}

/**
 * Snapshots the working tree through a throwaway index file (GIT_INDEX_FILE), so the user's own
 * index and branches are never touched. Null when the folder is not a git repository.
 */
export async function snapshotTree(cwd: string, as: JobUser | null = null): Promise<TreeSnapshot | null> {
  if ((await git(cwd, ['rev-parse', '--is-inside-work-tree'], as)) !== 'true') return null;
  const dir = mkdtempSync(join(tmpdir(), 'wg-agentd-index-'));
  try {
    if (as) chownSync(dir, as.uid, as.gid);
    const env = { GIT_INDEX_FILE: join(dir, 'index') };
    const head = await git(cwd, ['rev-parse', '--verify', '-q', 'HEAD'], as);
    if (head) await git(cwd, ['read-tree', head], as, env);
    if ((await git(cwd, ['add', '-A', '.'], as, env)) === null) return null;
    const tree = await git(cwd, ['write-tree'], as, env);
    const branch = await git(cwd, ['symbolic-ref', '--short', '-q', 'HEAD'], as);
    return tree ? { tree, head, branch } : null;
  } finally {
    await removeIndexFolder(dir, as);
  }
}

/**
 * The index folder is the job's user's from its chown on: removed as that user. As root, a removal walks by path a
 * tree whose owner can swap one of its folders for a link while it goes (a process the job left, or git's own hooks
 * and filters, run as that user), and so deletes whatever the link points at, as root.
 */
async function removeIndexFolder(dir: string, as: JobUser | null): Promise<void> {
  if (!as) {
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  await execa('rm', ['-rf', '--', dir], { uid: as.uid, gid: as.gid, reject: false, timeout: 60_000 });
}

/** The commits a result names at most (the count says how many there were). */
const MAX_COMMITS = 100;

/** What a job changed between two snapshots. */
export interface TreeChanges {
  /** The diff of the trees; null when none. */
  diff: string | null;
  /** The diff is all of it; false when it is longer than DIFF_READ_LIMIT (`diff` holds its beginning). */
  diffWhole: boolean;
  /** The branch when HEAD moved (it committed). */
  branch: string | null;
  /** The commits HEAD gained since the start (oldest first, the first MAX_COMMITS), and how many in all. */
  commits: string[];
  commitCount: number;
  /** Anything differs: the files, or HEAD. */
  changed: boolean;
}

/** What a job changed between two snapshots: the diff of the trees, the branch and the commits when HEAD moved. */
export async function changesBetween(
  cwd: string,
  before: TreeSnapshot,
  after: TreeSnapshot,
  as: JobUser | null = null,
): Promise<TreeChanges> {
  const read = before.tree === after.tree ? null : await readDiff(cwd, before.tree, after.tree, as);
  const moved = after.head !== null && after.head !== before.head;
  // Only commits HEAD did not have at the start: an earlier job's, or the person's, were there already.
  const range = moved ? (before.head ? [`${before.head}..${after.head}`] : [after.head as string]) : [];
  const listed = moved ? ((await git(cwd, ['rev-list', '--reverse', ...range], as)) ?? '') : '';
  const commits = listed.split('\n').filter((line) => /^[0-9a-f]{40,64}$/.test(line));
  return {
    diff: read && read.text !== '' ? (read.whole ? `${read.text}\n` : read.text) : null,
    diffWhole: read?.whole ?? true,
    branch: after.head !== before.head ? (after.branch ?? after.head) : null,
    commits: commits.slice(0, MAX_COMMITS),
    commitCount: commits.length,
    changed: before.tree !== after.tree || after.head !== before.head,
  };
}
