import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findRepoTop } from '../../worktrees/plan';
import { missingProgram, missingProgramReason } from '../rules/failure-reason';

/** Whether the branch HEAD names has a commit (from the files: loose ref or packed-refs). */
function hasCommit(gitDir: string): boolean {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return true; // detached: HEAD is a commit
    const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    if (existsSync(join(common, ref))) return true;
    const packed = existsSync(join(common, 'packed-refs')) ? readFileSync(join(common, 'packed-refs'), 'utf8') : '';
    return packed.split('\n').some((line) => line.endsWith(` ${ref}`));
  } catch {
    return true; // in doubt, the usual retry rule
  }
}

/**
 * Why a start that failed cannot work until something changes, in plain words, or null when a retry
 * may work. A git project with no commit yet has nothing to make a run's worktree from; a program that
 * is not installed stays so; a working folder that is gone, or a configured base branch that is not
 * there, does not come back by itself.
 */
export function lastingStartFailure(projectRoot: string, reason: string): string | null {
  if (/working folder .* does not exist|cannot make the run's worktree/.test(reason)) {
    const repo = findRepoTop(projectRoot);
    if (repo && !hasCommit(repo.gitDir)) {
      return (
        `the git repository ${repo.top} has no commit yet, so no worktree can be made for the run: make a first commit ` +
        '(git add -A && git commit -m "first commit"), or run agents in the folder itself (wg config --worktrees false)'
      );
    }
    // A folder that is gone does not come back by itself, nor does a base branch that is not there (or a
    // detached HEAD with none configured); a worktree git could not make this time may be made next time.
    return /working folder .* does not exist|base branch '[^']*' \(coordinator\.base_branch\) does not exist|has a detached HEAD/.test(
      reason,
    )
      ? reason
      : null;
  }
  const program = /ENOENT|not found/.test(reason) ? missingProgram(reason) : null;
  return program === null ? null : missingProgramReason(program);
}
