import type { ExecutorType } from '../../shared/config-types';

/** Executors whose runs are agents changing code: each run gets a worktree unless its profile says `worktree = false`. */
const AGENT_EXECUTORS: readonly ExecutorType[] = ['claude', 'codex', 'amplifier', 'cli'];

/**
 * Executors whose runs can work in a worktree at all: the agents, and shell commands when their
 * profile asks (`worktree = true`). http, external, manual and remote runs work elsewhere.
 */
const ISOLATED_EXECUTORS: readonly ExecutorType[] = [...AGENT_EXECUTORS, 'shell'];

/**
 * Whether a run of this executor profile works in its own worktree (where the project isolates
 * runs): agents do unless their profile says `worktree = false`; a shell command runs in the project
 * folder (a task like "Run the tests" needs the project's own dependencies and sees its real state)
 * unless its profile says `worktree = true`.
 */
export function wantsWorktree(type: ExecutorType, worktree: boolean | null | undefined): boolean {
  if (!ISOLATED_EXECUTORS.includes(type) || worktree === false) return false;
  return worktree === true || AGENT_EXECUTORS.includes(type);
}
