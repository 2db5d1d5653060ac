import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunEvent } from '../../../shared/run-event';
import { execa } from 'execa';
import type { StoreCore } from '../../store/store-core';
import { writeAtomic } from '../files/run-files';

/**
 * Exit 0 is not proof of work: an agent that exits without reporting done counts as done only if
 * it left evidence (upstream's wrapper has the same gate): its own log entries or artifacts in
 * the task, or a change in its working folder since the run started. The folder's state is taken
 * as a fingerprint when the run starts and compared when it ends.
 */
export interface FolderBaseline {
  folder: string;
  fingerprint: string;
}

/** Folders never looked into for changes: the app's own, dependencies, VCS internals. */
const SKIPPED = new Set(['.workgraph', 'node_modules', '.git', '.wg-worktrees']);
/** A folder this big is not walked (its fingerprint says only that). */
const MAX_ENTRIES = 20_000;

async function git(cwd: string, args: string[]): Promise<string | null> {
  const result = await execa('git', args, { cwd, reject: false, stripFinalNewline: false, maxBuffer: 256 * 1024 * 1024 });
  return result.exitCode === 0 ? String(result.stdout) : null;
}

/**
 * A git folder: the commit checked out, which files differ and how (tracked changes as a diff,
 * untracked files by size and time). Any other folder: its files' count, sizes and times.
 */
async function folderFingerprint(path: string): Promise<string> {
  const hash = createHash('sha256');
  const status = await git(path, ['status', '--porcelain=v1', '-z', '--untracked-files=all']).catch(() => null);
  if (status !== null) {
    hash.update(`git\0${(await git(path, ['rev-parse', 'HEAD'])) ?? 'no commit'}\0${status}\0`);
    hash.update((await git(path, ['diff', 'HEAD', '--binary'])) ?? '');
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
  if (baseline) writeAtomic(file, JSON.stringify(baseline), 0o600);
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
 * Tools through which a run changes files: Claude Code's Write, Edit, MultiEdit, NotebookEdit and Bash,
 * codex's file_change and command_execution.
 */
const WRITING_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'file_change', 'command_execution']);

/** Whether the run itself called a tool that can change files. */
function usedWritingTool(events: readonly RunEvent[]): boolean {
  return events.some((event) => event.type === 'tool_use' && WRITING_TOOLS.has(event.name));
}

/**
 * Whether the run left evidence of work of its own: something reported in the task, else a working
 * folder that differs from how it was when the run started. A folder shared with other runs (the
 * project folder itself, with no worktree of its own) may have been changed by any of them: its change
 * counts only when the run itself called a tool that writes. With no baseline to compare (it could
 * not be taken) the folder counts as changed: in doubt, the agent's exit stands.
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
}): Promise<boolean> {
  if (reportedAnything(input.core, input.taskId, input.agentId)) return true;
  const baseline = readBaseline(input.baselineFile);
  if (!baseline) return true;
  if (resolve(baseline.folder) === resolve(input.sharedFolder) && !usedWritingTool(input.events())) return false;
  try {
    return (await folderFingerprint(baseline.folder)) !== baseline.fingerprint;
  } catch {
    return true;
  }
}
