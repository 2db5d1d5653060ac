import { findRepoTop } from '../../worktrees/plan';
import { hasFirstCommit } from '../../worktrees/first-commit';
import { missingProgram, missingProgramReason, noCommitReason } from '../../run-failures/failure-reason';

/**
 * Why a start that failed cannot work until something changes, in plain words, or null when a retry
 * may work. A git project with no commit yet has nothing to make a run's worktree from; a program that
 * is not installed stays so; a working folder that is gone, or a configured base branch that is not
 * there, does not come back by itself.
 */
export function lastingStartFailure(projectRoot: string, reason: string): string | null {
  if (/working folder .* does not exist|cannot make the run's worktree/.test(reason)) {
    const repo = findRepoTop(projectRoot);
    if (repo && !hasFirstCommit(repo.gitDir)) return noCommitReason(repo.top);
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
