import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { execa } from 'execa';
import type { Task } from '../../../shared/task';

/** The empty tree: the base when the repository had no commit yet when the task started. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf899d15f3f9382e1';
const GIT_TIMEOUT_MS = 10_000;
/** Read at most this much (the evaluator's prompt shows 30,000 characters of it). */
const MAX_BUFFER = 4 * 1024 * 1024;

async function git(root: string, args: string[]): Promise<{ ok: boolean; out: string }> {
  const result = await execa('git', args, { cwd: root, reject: false, timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_BUFFER, stripFinalNewline: false });
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

/**
 * What the task changed, for its evaluator, as upstream's compute_artifact_diff: the diff of its
 * artifact files since the last commit before it started. Unlike upstream it reads the working
 * folder, not only commits (agents do not always commit), and shows new untracked artifacts whole.
 * Null when the project is not a git repository, the task names no file, or nothing changed.
 */
export async function taskDiff(root: string, task: Pick<Task, 'artifacts' | 'started_at'>): Promise<string | null> {
  const paths = artifactPaths(root, task.artifacts);
  if (paths.length === 0 || !task.started_at) return null;
  if (!(await git(root, ['rev-parse', '--is-inside-work-tree'])).ok) return null;
  const before = await git(root, ['log', '--before', task.started_at, '--format=%H', '-1']);
  const base = before.ok && before.out.trim() ? before.out.trim() : EMPTY_TREE;
  const tracked = await git(root, ['diff', base, '--', ...paths]);
  const untracked = await git(root, ['ls-files', '--others', '--exclude-standard', '--', ...paths]);
  const parts = tracked.ok ? [tracked.out] : [];
  for (const file of untracked.ok ? untracked.out.split('\n').filter(Boolean) : []) {
    const added = await git(root, ['diff', '--no-index', '--', '/dev/null', file]);
    if (added.ok) parts.push(added.out);
  }
  const diff = parts.join('');
  return diff.trim() ? diff : null;
}
