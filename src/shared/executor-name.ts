/**
 * The executor a task asks for: its own, else `shell` when it has a command, else the coordinator's default. One rule
 * for the coordinator (which profile runs it) and the window (which tasks a wait for an executor's program holds).
 */
export function executorNameFor(task: { executor: string | null; exec: string | null }, defaultExecutor: string): string {
  return task.executor ?? (task.exec ? 'shell' : defaultExecutor);
}
