import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { DiffFile, WorktreeDiff } from '../../shared/worktree';
import { git, gitValue, splitNul } from './git';

/** A diff bigger than this is cut (at a file boundary): the window shows its file list whole regardless. */
const PATCH_LIMIT = 1024 * 1024;

/** Parses `git diff --numstat -z --no-renames`: "added\tremoved\tpath\0"; binary files count "-". */
function parseNumstat(text: string): DiffFile[] {
  return splitNul(text).map((entry) => {
    const [added = '0', removed = '0', ...rest] = entry.split('\t');
    const binary = added === '-';
    return { path: rest.join('\t'), old_path: null, added: binary ? 0 : Number(added), removed: binary ? 0 : Number(removed), binary };
  });
}

/** Cuts a patch at the last file that fits, so what is shown is never half a hunk. */
function cutPatch(patch: string, limit = PATCH_LIMIT): { patch: string; truncated: boolean } {
  if (patch.length <= limit) return { patch, truncated: false };
  const cut = patch.lastIndexOf('\ndiff --git ', limit);
  return { patch: cut > 0 ? patch.slice(0, cut + 1) : '', truncated: true };
}

/** The squash commit of a merged task against its parent. */
export async function mergedDiff(cwd: string, commit: string): Promise<WorktreeDiff> {
  const parent = await gitValue(cwd, ['rev-parse', `${commit}^`]);
  const files = parseNumstat((await git(cwd, ['diff', '--numstat', '-z', '--no-renames', parent, commit])).stdout);
  const { patch, truncated } = cutPatch((await git(cwd, ['diff', '--no-renames', '--no-color', parent, commit])).stdout);
  return { base: parent, head: commit, kind: 'merged', files, patch, truncated };
}

/**
 * A worktree's changes as they are right now, committed or not, new files included, against where its
 * branch and the base branch meet: what the agent has done so far. New files are seen through a private
 * copy of the worktree's index (GIT_INDEX_FILE), so the agent's own staging is never touched.
 */
export async function liveDiff(worktree: string, base: string, setupFiles: readonly string[] = []): Promise<WorktreeDiff> {
  const since = await gitValue(worktree, ['merge-base', base, 'HEAD']).catch(() => base);
  const scratch = mkdtempSync(join(tmpdir(), 'wg-diff-'));
  try {
    const index = join(scratch, 'index');
    const own = await gitValue(worktree, ['rev-parse', '--git-path', 'index']);
    const ownPath = isAbsolute(own) ? own : resolve(worktree, own);
    // A copy keeps the file stat data, so only changed files are read again.
    if (existsSync(ownPath)) copyFileSync(ownPath, index);
    const env = { GIT_INDEX_FILE: index };
    const excludes = setupFiles.map((path) => `:(exclude,literal)${path.replace(/\/$/, '')}`);
    await git(worktree, ['add', '-A', '--', '.', ...excludes], { env });
    const files = parseNumstat((await git(worktree, ['diff', '--cached', '--numstat', '-z', '--no-renames', since], { env })).stdout);
    const { patch, truncated } = cutPatch((await git(worktree, ['diff', '--cached', '--no-renames', '--no-color', since], { env })).stdout);
    return { base: since, head: 'working tree', kind: 'live', files, patch, truncated };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
