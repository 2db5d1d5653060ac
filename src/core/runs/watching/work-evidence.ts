import { sql } from 'kysely';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../../../shared/run-event';
import { git } from '../../worktrees/git';
import { listGitWorktrees } from '../../worktrees/worktree-list';
import { judgeWork, ToolWrites, type Evidence } from '../rules/work-evidence-rule';
import type { StoreCore } from '../../store/store-core';
import { parseLaunchRecord } from '../files/run-files';
import { replaceFile } from '../../files/no-follow';

/**
 * Exit 0 is not proof of work: an agent that exits without reporting done counts as done only if
 * it left evidence of its own (upstream's wrapper has the same gate; see leftEvidence). The
 * folder's state is taken as a fingerprint when the run starts and compared when it ends.
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
async function folderFingerprint(path: string): Promise<string> {
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

/** Whether the agent wrote to its task (log entries, artifacts: both are logged under its id). */
export async function reportedAnything(core: StoreCore, taskId: string, agentId: string): Promise<boolean> {
  return (
    (await core.get(
      core.build.selectFrom('task_log').select(sql.lit(1).as('one')).where('task_id', '=', taskId).where('actor', '=', agentId).limit(1),
    )) !== undefined
  );
}

/**
 * Other local runs that may have worked in `folder` while this one went: their lifetimes overlap,
 * and their launch names that folder (or no folder: an older record, taken as sharing it).
 */
async function othersInFolder(core: StoreCore, agentId: string, folder: string): Promise<string[]> {
  const me = await core.get(core.build.selectFrom('agents').select('started_at').where('id', '=', agentId));
  if (!me) return [];
  const rows = await core.all(
    core.build
      .selectFrom('agents')
      .select(['id', 'launch'])
      .where('id', '!=', agentId)
      .where('remote', '=', 0)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', me.started_at)]))
      .orderBy('started_at'),
  );
  return rows
    .filter((row) => {
      const cwd = parseLaunchRecord(row.launch)?.cwd ?? null;
      return cwd === null || resolve(cwd) === resolve(folder);
    })
    .map((row) => row.id);
}

/**
 * Whether a run that exited 0 without `wg done` left evidence of work of its own (the rule:
 * judgeWork). What can be known per run: what it reported in its task; in its own worktree, any
 * change since it started (nothing else works there, and what an earlier attempt left was there at
 * its start); in a folder shared with other runs (the project folder, with no worktree), a change
 * only when it wrote the file itself by a tool call that names it, or when no other run worked in
 * that folder meanwhile. A person's own edits meanwhile cannot be told apart. With no baseline to
 * compare (it could not be taken) the folder counts as changed: in doubt, the agent's exit stands.
 */
export async function leftEvidence(input: {
  core: StoreCore;
  taskId: string;
  agentId: string;
  baselineFile: string;
  /** The project folder: a run working there shares it with every other run without a worktree. */
  sharedFolder: string;
  /** The run's own events (read only when needed). */
  events: () => readonly RunEvent[];
}): Promise<Evidence> {
  if (await reportedAnything(input.core, input.taskId, input.agentId)) return { found: true };
  const baseline = readBaseline(input.baselineFile);
  if (!baseline) return { found: true };
  let changed: boolean;
  try {
    changed = (await folderFingerprint(baseline.folder)) !== baseline.fingerprint;
  } catch {
    return { found: true };
  }
  const shared = resolve(baseline.folder) === resolve(input.sharedFolder);
  const others = changed && shared ? await othersInFolder(input.core, input.agentId, baseline.folder) : [];
  const found = judgeWork({
    reported: false,
    changed,
    others,
    wroteByTool: others.length > 0 && new ToolWrites(baseline.folder).add(input.events()).any(),
    changes: "the project folder's changes",
    advice: 'report with wg done, or give it a worktree',
  });
  if (found.found || found.reason || shared) return found;
  const earlier = await earlierWork(input.core, input.agentId, baseline.head);
  return earlier ? { found: false, reason: earlier } : found;
}

/**
 * A run that did nothing in a worktree an earlier attempt left commits in: said so, since those
 * commits are why the task's worktree holds work and why none of it was merged.
 */
async function earlierWork(core: StoreCore, agentId: string, head: string | null): Promise<string | null> {
  const row = await core.get(
    core.build.selectFrom('worktrees').select('base_commit').where('agent_id', '=', agentId).where('owner', '=', 'agent'),
  );
  if (!row || head === null || row.base_commit === head) return null;
  return (
    `agent exited without reporting or changing anything; the commits on its branch (up to ${head.slice(0, 10)}) were there ` +
    "when it started, an earlier attempt's, and are not its work: nothing was merged"
  );
}
