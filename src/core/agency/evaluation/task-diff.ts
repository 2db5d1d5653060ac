import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { execa } from 'execa';
import type { Task } from '../../../shared/task';
import { isUnmergedState } from '../../../shared/worktree';
import type { WorktreeRecord } from '../../store/worktree-records';

/** The empty tree: the base when the repository had no commit yet when the task started. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf899d15f3f9382e1';
const GIT_TIMEOUT_MS = 10_000;
/** Read at most this much (the evaluator's prompt shows 30,000 characters of it). */
const MAX_BUFFER = 4 * 1024 * 1024;

/**
 * Looks only. Against the working folder the diffs are the plumbing `diff-index`: porcelain `git diff` writes the
 * refreshed index back, which takes index.lock, and an agent may be committing in that folder at that moment.
 */
async function git(root: string, args: readonly string[]): Promise<{ ok: boolean; out: string }> {
  const result = await execa('git', args, {
    cwd: root,
    reject: false,
    timeout: GIT_TIMEOUT_MS,
    maxBuffer: MAX_BUFFER,
    stripFinalNewline: false,
  });
  // `git diff --no-index` answers 1 when the files differ.
  return { ok: result.exitCode === 0 || (result.exitCode === 1 && args.includes('--no-index')), out: String(result.stdout) };
}

/** Artifacts that name files in the project, as paths relative to it. */
function artifactPaths(root: string, artifacts: readonly string[]): string[] {
  const paths: string[] = [];
  for (const artifact of artifacts) {
    const absolute = isAbsolute(artifact) ? artifact : resolve(root, artifact);
    const inside = relative(root, absolute);
    if (!inside || inside.startsWith('..') || isAbsolute(inside)) continue;
    if (existsSync(absolute)) paths.push(inside);
  }
  return paths;
}

/** New files not yet committed, shown whole (`git diff --no-index` against nothing). */
async function untrackedDiffs(cwd: string, paths: readonly string[], skip: readonly string[] = []): Promise<string[]> {
  const untracked = await git(cwd, ['ls-files', '--others', '--exclude-standard', '--', ...paths]);
  const parts: string[] = [];
  for (const file of untracked.ok ? untracked.out.split('\n').filter(Boolean) : []) {
    if (skip.includes(file)) continue;
    const added = await git(cwd, ['diff', '--no-index', '--', '/dev/null', file]);
    if (added.ok) parts.push(added.out);
  }
  return parts;
}

const nonEmpty = (parts: readonly string[]): string | null => {
  const diff = parts.join('');
  return diff.trim() ? diff : null;
};

/**
 * The work of a task's agent worktree: after its merge, the recorded squash commit; before it, the
 * branch against its merge base with the base branch, read in the worktree itself, so its commits and
 * any uncommitted changes count and the person's own edits in the project folder do not. Undefined
 * when the worktree cannot answer (the caller falls back to the artifacts).
 */
async function worktreeDiff(root: string, record: WorktreeRecord): Promise<string | null | undefined> {
  if (record.owner !== 'agent') return undefined;
  // Merged (and maybe removed since): the squash commit is what it brought.
  if (record.merge_commit) {
    const shown = await git(root, ['diff', `${record.merge_commit}^`, record.merge_commit]);
    return shown.ok ? nonEmpty([shown.out]) : undefined;
  }
  if (record.state === 'merged') return null; // nothing to merge: it changed nothing
  if (!isUnmergedState(record.state) || !existsSync(record.path)) return undefined;
  const base = await git(record.path, ['merge-base', record.base_branch, record.branch]);
  if (!base.ok || !base.out.trim()) return undefined;
  const tracked = await git(record.path, ['diff-index', '-p', base.out.trim()]);
  if (!tracked.ok) return undefined;
  return nonEmpty([tracked.out, ...(await untrackedDiffs(record.path, [], record.setup_files))]);
}

/**
 * What the task changed, for its evaluator. A task whose agent worked in its own worktree: that
 * worktree's work (worktreeDiff). Otherwise as upstream's compute_artifact_diff: the diff of its
 * artifact files since the last commit before it started. Unlike upstream it reads the working
 * folder, not only commits (agents do not always commit), and shows new untracked artifacts whole.
 * Null when the project is not a git repository, the task names no file, or nothing changed.
 */
export async function taskDiff(
  root: string,
  task: Pick<Task, 'artifacts' | 'started_at'>,
  worktree?: WorktreeRecord,
): Promise<string | null> {
  const fromWorktree = worktree ? await worktreeDiff(root, worktree) : undefined;
  if (fromWorktree !== undefined) return fromWorktree;
  const paths = artifactPaths(root, task.artifacts);
  if (paths.length === 0 || !task.started_at) return null;
  if (!(await git(root, ['rev-parse', '--is-inside-work-tree'])).ok) return null;
  const before = await git(root, ['log', '--before', task.started_at, '--format=%H', '-1']);
  const base = before.ok && before.out.trim() ? before.out.trim() : EMPTY_TREE;
  const tracked = await git(root, ['diff-index', '-p', base, '--', ...paths]);
  return nonEmpty([...(tracked.ok ? [tracked.out] : []), ...(await untrackedDiffs(root, paths))]);
}
