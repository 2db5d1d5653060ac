/**
 * Variables that would point git at another repository or index than the folder asked about: an agent
 * (or a git hook) calling `wg` inherits them, and `git -C` does not override GIT_DIR.
 */
const REPOSITORY_VARIABLES = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX', 'GIT_OBJECT_DIRECTORY'];

/** What every git this app runs adds to (or takes out of) the environment it inherits. */
export function gitEnv(extra: Record<string, string> | undefined): Record<string, string | undefined> {
  // GIT_OPTIONAL_LOCKS=0: a `git status` of ours (the sweep inspecting every worktree, `wg show`, the window)
  // does not write the refreshed index back, which takes index.lock. Taken at the moment a run's end committed
  // the files it left, that lock failed the commit ("index.lock: File exists") and with it the task.
  const env: Record<string, string | undefined> = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
  for (const name of REPOSITORY_VARIABLES) env[name] = undefined;
  return { ...env, ...extra };
}
