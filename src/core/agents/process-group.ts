/** Agents run in their own process group (spawned detached); these act on the whole group. */

export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    // EPERM means it exists but belongs to someone else: still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM the group, wait up to `graceMs`, then SIGKILL whatever is left. `force` skips the grace. */
export async function killGroup(pid: number, options: { force?: boolean; graceMs?: number } = {}): Promise<void> {
  if (!options.force) {
    signalGroup(pid, 'SIGTERM');
    const deadline = Date.now() + (options.graceMs ?? 5000);
    while (Date.now() < deadline) {
      if (!groupAlive(pid)) return;
      await sleep(25);
    }
  }
  signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + 2000;
  while (groupAlive(pid) && Date.now() < deadline) await sleep(10);
}
