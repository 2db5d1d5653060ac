import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { RunEvent } from '../../../shared/run-event';
import { git } from '../../worktrees/git';
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
    return { folder: path, fingerprint: await folderFingerprint(path) };
  } catch {
    return null;
  }
}

export function writeBaseline(file: string, baseline: FolderBaseline | null): void {
  if (baseline) replaceFile(file, JSON.stringify(baseline), { mode: 0o600 });
}

function readBaseline(file: string): FolderBaseline | null {
  if (!existsSync(file)) return null;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as { folder?: unknown; fingerprint?: unknown };
    return typeof value.fingerprint === 'string' && typeof value.folder === 'string'
      ? { folder: value.folder, fingerprint: value.fingerprint }
      : null;
  } catch {
    return null;
  }
}

/** Whether the agent wrote to its task (log entries, artifacts: both are logged under its id). */
function reportedAnything(core: StoreCore, taskId: string, agentId: string): boolean {
  return core.sql('SELECT 1 FROM task_log WHERE task_id = ? AND actor = ? LIMIT 1').get(taskId, agentId) !== undefined;
}

/**
 * A run's exit 0 without `wg done`: whether it counts as done, and if not, why when it is more than
 * "nothing changed" (the scheduler's NO_WORK_REASON).
 */
export type Evidence = { found: true } | { found: false; reason?: string };

/**
 * The files a tool call of the run says it wrote: Claude Code's Write, Edit, MultiEdit (file_path) and
 * NotebookEdit (notebook_path), codex's file_change (each change's path). A shell command (Bash, codex's
 * command_execution) names no file it is known to write: reading and listing are shell commands too.
 */
function writtenFiles(event: RunEvent): string[] {
  if (event.type !== 'tool_use' || typeof event.input !== 'object' || event.input === null) return [];
  const input = event.input as Record<string, unknown>;
  switch (event.name) {
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
      return typeof input.file_path === 'string' ? [input.file_path] : [];
    case 'NotebookEdit':
      return typeof input.notebook_path === 'string' ? [input.notebook_path] : [];
    case 'file_change':
      return (Array.isArray(input.changes) ? input.changes : [])
        .map((change) => (typeof change === 'object' && change !== null ? (change as { path?: unknown }).path : null))
        .filter((path): path is string => typeof path === 'string');
    default:
      return [];
  }
}

/** Whether the run itself wrote a file inside `folder` by a tool call that did not fail. */
function wroteFileIn(events: readonly RunEvent[], folder: string): boolean {
  const failed = new Set(events.flatMap((e) => (e.type === 'tool_result' && e.is_error ? [e.tool_use_id] : [])));
  const inside = (path: string) => {
    const rel = relative(resolve(folder), resolve(folder, path));
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
  };
  return events.some((event) => event.type === 'tool_use' && !failed.has(event.id) && writtenFiles(event).some(inside));
}

/**
 * Other local runs that may have worked in `folder` while this one went: their lifetimes overlap,
 * and their launch names that folder (or no folder: an older record, taken as sharing it).
 */
function othersInFolder(core: StoreCore, agentId: string, folder: string): string[] {
  const me = core.sql<{ started_at: string }>('SELECT started_at FROM agents WHERE id = ?').get(agentId);
  if (!me) return [];
  const rows = core
    .sql<{ id: string; launch: string | null }>(
      'SELECT id, launch FROM agents WHERE id != ? AND remote = 0 AND (ended_at IS NULL OR ended_at >= ?) ORDER BY started_at',
    )
    .all(agentId, me.started_at);
  return rows
    .filter((row) => {
      const cwd = parseLaunchRecord(row.launch)?.cwd ?? null;
      return cwd === null || resolve(cwd) === resolve(folder);
    })
    .map((row) => row.id);
}

/**
 * Whether a run that exited 0 without `wg done` left evidence of work of its own. What can be known
 * per run:
 * - what it reported in its task (log entries, artifacts: both are logged under its id);
 * - in its own worktree, any change since it started (nothing else works there);
 * - in a folder shared with other runs (the project folder, with no worktree), a change only when
 *   it wrote the file itself by a tool call that names it (Write, Edit, codex's file_change), or when
 *   no other run worked in that folder meanwhile. A shell command names no file it writes, so Bash
 *   alone proves nothing while others work there; a person's own edits meanwhile cannot be told apart.
 * With no baseline to compare (it could not be taken) the folder counts as changed: in doubt, the
 * agent's exit stands.
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
  if (reportedAnything(input.core, input.taskId, input.agentId)) return { found: true };
  const baseline = readBaseline(input.baselineFile);
  if (!baseline) return { found: true };
  let changed: boolean;
  try {
    changed = (await folderFingerprint(baseline.folder)) !== baseline.fingerprint;
  } catch {
    return { found: true };
  }
  if (!changed) return { found: false };
  if (resolve(baseline.folder) !== resolve(input.sharedFolder)) return { found: true };
  if (wroteFileIn(input.events(), baseline.folder)) return { found: true };
  const others = othersInFolder(input.core, input.agentId, baseline.folder);
  if (others.length === 0) return { found: true };
  const named = others.length > 3 ? `${others.slice(0, 3).join(', ')} and ${others.length - 3} more` : others.join(', ');
  return {
    found: false,
    reason: `agent exited without wg done, and the project folder's changes cannot be told to be its own (other runs worked there meanwhile: ${named}); report with wg done, or give it a worktree`,
  };
}
