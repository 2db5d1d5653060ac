import { WgError } from '../../../shared/errors';
import { programMissing } from '../../executors/find-program';
import type { HostEnv } from '../../executors/host-env';
import type { LaunchSpec } from '../../executors/launch';
import { branchExists, hasFirstCommit } from '../../worktrees/first-commit';
import { findRepoTop } from '../../worktrees/plan';
import { missingProgramReason, noCommitReason, variableNaming } from '../../run-failures/failure-reason';

/** Whose claim is refused: the executor its run would have had, and the one its row names. */
export interface ClaimWho {
  executor: string;
  readyExecutor: string | null;
}

/**
 * A claim refused because its run cannot start on this machine until something outside the task changes (the agent
 * CLI installed, a first commit made). Nothing is claimed: the task stays open and waits, instead of every ready task
 * failing the same way one after the other (coordinator/start-holds.ts holds the others and looks again).
 */
export abstract class ClaimWaits extends WgError {
  /** The executor profile the task would have run with: its other tasks wait too. */
  readonly executor: string;
  /**
   * The executor the task's own row names, as the scheduler sees it (null: it names none that resolves): the task waits
   * while it names that one, even where its run would have been routed to another (an identity's, a model's).
   */
  readonly readyExecutor: string | null;
  constructor(who: ClaimWho, reason: string, elsewhere: string) {
    super('unavailable', reason, elsewhere);
    this.executor = who.executor;
    this.readyExecutor = who.readyExecutor;
  }
  /** What is waited for: one hold for every task waiting for the same thing. */
  abstract readonly key: string;
  /** Said once it no longer holds ("claude is found now"). */
  abstract readonly cleared: string;
  /** Said in a waiting task's log after the reason: when it starts. */
  abstract readonly until: string;
  /** Looked at again (file checks only): whether it still holds. */
  abstract stillHolds(): boolean;
}

/** The program the run would start is not there (the agent CLI not installed, a WG_CLAUDE_BIN naming no file). */
export class ProgramMissing extends ClaimWaits {
  readonly key: string;
  readonly cleared: string;
  readonly until: string;
  constructor(
    /** The command as the run would have started it. */
    readonly program: string,
    /** The PATH it was looked for on: where it is looked for again. */
    readonly path: string | undefined,
    who: ClaimWho,
    reason: string,
  ) {
    super(who, reason, `the coordinator's machine cannot start executor '${who.executor}': its program is not installed there`);
    this.key = `program ${program}`;
    this.cleared = `${program} is found now`;
    this.until = 'it starts by itself once that is found';
  }
  stillHolds(): boolean {
    return programMissing(this.program, this.path);
  }
}

/** The run would work in a worktree of a repository with no commit yet: there is nothing to make it from. */
export class NoFirstCommit extends ClaimWaits {
  readonly key: string;
  readonly cleared: string;
  readonly until = 'it starts by itself once there is a commit (or worktrees are off)';
  constructor(
    readonly repoTop: string,
    readonly gitDir: string,
    who: ClaimWho,
  ) {
    super(who, noCommitReason(repoTop), "the coordinator's repository has no commit yet, so no worktree can be made for the run");
    this.key = `commit ${gitDir}`;
    this.cleared = `${repoTop} has a commit now`;
  }
  stillHolds(): boolean {
    return !hasFirstCommit(this.gitDir);
  }
}

/**
 * The run would work in a worktree made from the configured base branch (coordinator.base_branch), which the
 * repository does not have (yet): every such task failed, one after the other, where they can wait for it.
 */
export class BaseBranchMissing extends ClaimWaits {
  readonly key: string;
  readonly cleared: string;
  readonly until = 'it starts by itself once that branch is there (or another is named)';
  constructor(
    readonly repoTop: string,
    readonly gitDir: string,
    readonly branch: string,
    who: ClaimWho,
  ) {
    super(
      who,
      `base branch '${branch}' (coordinator.base_branch) does not exist in ${repoTop}, so no worktree can be made for the run: create it, or name another with wg config --base-branch NAME`,
      "the coordinator's base branch is not in its repository, so no worktree can be made for the run",
    );
    this.key = `branch ${gitDir} ${branch}`;
    this.cleared = `branch '${branch}' is there now`;
  }
  stillHolds(): boolean {
    return !branchExists(this.gitDir, this.branch);
  }
}

/**
 * Throws ProgramMissing when the process a claim would start is surely not there (find-program.ts): looked for on the
 * PATH its run gets (the executor's own PATH, else the coordinator's).
 */
export function assertProgramFound(spec: LaunchSpec, hostEnv: HostEnv, who: ClaimWho): void {
  if (spec.kind !== 'process') return;
  const path = spec.env.PATH ?? hostEnv.PATH;
  const program = spec.program ?? spec.command;
  if (!programMissing(program, path)) return;
  throw new ProgramMissing(program, path, who, missingProgramReason(program, variableNaming(program, hostEnv)));
}

/**
 * Throws NoFirstCommit when the run would work in a worktree (`worktree`) of a repository with no commit yet, and
 * BaseBranchMissing when the base branch configured (`baseBranch`) is not one of its branches.
 */
export function assertFirstCommit(worktree: boolean, projectRoot: string, who: ClaimWho, baseBranch: string | null = null): void {
  if (!worktree) return;
  const repo = findRepoTop(projectRoot);
  if (!repo) return;
  if (!hasFirstCommit(repo.gitDir)) throw new NoFirstCommit(repo.top, repo.gitDir, who);
  if (baseBranch !== null && !branchExists(repo.gitDir, baseBranch)) throw new BaseBranchMissing(repo.top, repo.gitDir, baseBranch, who);
}
