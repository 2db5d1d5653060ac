import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { replaceFile } from '../files/no-follow';
import { git } from './git';
import { listGitWorktrees } from './worktree-list';

/**
 * A folder as a run found it when it started, written in its run folder: what its end is compared with (its
 * evidence of work, run-strays.ts' worktrees and branches it made).
 */
export interface FolderBaseline {
  folder: string;
  fingerprint: string;
  /** The commit checked out there when the run started: its own commits are the ones after it (null: not a git folder). */
  head: string | null;
  /** The repository's git worktrees then (null: not a git folder): one the run makes is told apart by this. */
  worktrees: string[] | null;
  /** The repository's branches then, by name (null: not a git folder, or a baseline older than this): the same for branches. */
  branches: string[] | null;
}

/** Folders never looked into for changes: the app's own, dependencies, VCS internals. */
const SKIPPED = new Set(['.workgraph', 'node_modules', '.git', '.wg-worktrees']);
/** A folder this big is not walked (its fingerprint says only that). */
const MAX_ENTRIES = 20_000;

/**
 * A look only, through the worktrees' git (which takes no optional lock, so a `git status` here does not hold
 * index.lock while an agent commits): the diff is the plumbing `diff-index`, since porcelain `git diff` against
 * the working tree writes the index whatever it is told. Null when git fails (not a repository, no commit yet).
 */
const look = (cwd: string, args: string[]): Promise<string | null> =>
  git(cwd, args).then(
    (result) => result.stdout,
    () => null,
  );

/**
 * A git folder: the commit checked out, which files differ and how (tracked changes as a diff,
 * untracked files by size and time). Any other folder: its files' count, sizes and times.
 */
export async function folderFingerprint(path: string): Promise<string> {
  const hash = createHash('sha256');
  const status = await look(path, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
  if (status !== null) {
    hash.update(`git\0${(await look(path, ['rev-parse', 'HEAD'])) ?? 'no commit'}\0${status}\0`);
    hash.update((await look(path, ['diff-index', '-p', '--binary', 'HEAD'])) ?? '');
    for (const entry of status.split('\0')) {
      if (!entry.startsWith('?? ')) continue;
      const stat = statSync(join(path, entry.slice(3)), { throwIfNoEntry: false });
      if (stat) hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\0`);
    }
    return hash.digest('hex');
  }
  hash.update('files\0');
  walk(path, hash, { left: MAX_ENTRIES });
  return hash.digest('hex');
}

function walk(dir: string, hash: ReturnType<typeof createHash>, budget: { left: number }): void {
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of entries) {
    if (budget.left-- <= 0 || SKIPPED.has(name)) continue;
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\0`);
    if (stat.isDirectory()) walk(path, hash, budget);
  }
}

export async function folderBaseline(path: string): Promise<FolderBaseline | null> {
  try {
    const [fingerprint, head, worktrees, branches] = await Promise.all([
      folderFingerprint(path),
      look(path, ['rev-parse', '--verify', '-q', 'HEAD']),
      listGitWorktrees(path).then(
        (list) => list.map((w) => w.path),
        () => null,
      ),
      look(path, ['for-each-ref', '--format=%(refname)', 'refs/heads/']),
    ]);
    return {
      folder: path,
      fingerprint,
      head: head?.trim() || null,
      worktrees,
      branches: branches === null ? null : branchNames(branches),
    };
  } catch {
    return null;
  }
}

/** `for-each-ref --format=%(refname) refs/heads/` as branch names. */
function branchNames(refs: string): string[] {
  return refs
    .split('\n')
    .filter((ref) => ref.startsWith('refs/heads/'))
    .map((ref) => ref.slice('refs/heads/'.length));
}

export function writeBaseline(file: string, baseline: FolderBaseline | null): void {
  if (baseline) replaceFile(file, JSON.stringify(baseline), { mode: 0o600 });
}

/** The baseline a run's start wrote, or null (none taken, or unreadable). */
export function readBaseline(file: string): FolderBaseline | null {
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof FolderBaseline, unknown>>;
    const strings = (list: unknown) => (Array.isArray(list) ? list.filter((w): w is string => typeof w === 'string') : null);
    return typeof value.fingerprint === 'string' && typeof value.folder === 'string'
      ? {
          folder: value.folder,
          fingerprint: value.fingerprint,
          head: typeof value.head === 'string' ? value.head : null,
          worktrees: strings(value.worktrees),
          branches: strings(value.branches),
        }
      : null;
  } catch {
    return null;
  }
}
