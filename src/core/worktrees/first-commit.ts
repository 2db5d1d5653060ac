import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Whether the branch HEAD names has a commit, read from the files (a loose ref or packed-refs): a repository just made
 * with `git init` has none, and no worktree can be made from it. In doubt (a file that cannot be read), it has.
 */
export function hasFirstCommit(gitDir: string): boolean {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return true; // detached: HEAD is a commit
    // A reftable repository's HEAD file is a stub naming this; its refs are not files to read. In doubt: it has.
    if (ref === 'refs/heads/.invalid') return true;
    return refExists(gitDir, ref);
  } catch {
    return true;
  }
}

/** Whether a local branch has a commit, read from the same files (a configured base branch not made yet has none). */
export function branchExists(gitDir: string, branch: string): boolean {
  try {
    return refExists(gitDir, `refs/heads/${branch}`);
  } catch {
    return true;
  }
}

/** A ref, loose or packed, in the repository's common folder (a linked worktree's gitdir names it in `commondir`). */
function refExists(gitDir: string, ref: string): boolean {
  const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
  if (existsSync(join(common, ref))) return true;
  const packed = existsSync(join(common, 'packed-refs')) ? readFileSync(join(common, 'packed-refs'), 'utf8') : '';
  return packed.split('\n').some((line) => line.endsWith(` ${ref}`));
}
