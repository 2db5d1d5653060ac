const HELD: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs `work` with Ctrl-C (SIGINT), SIGTERM and SIGHUP held until it ends: for the step of a merge between moving the
 * base branch and bringing the person's checkout along, which a `wg done` interrupted there left half done (main
 * moved, the checkout showing the merge undone, staged, for a `git commit` to undo). A signal that came meanwhile is
 * raised again once the step is over, where nothing else in the process listens for it (its default: the exit); a
 * process with a handler of its own (the coordinator's stop) has had it called already.
 */
export async function holdSignals<T>(work: () => Promise<T>): Promise<T> {
  const received: NodeJS.Signals[] = [];
  const hold = (signal: NodeJS.Signals) => received.push(signal);
  const alone = new Set(HELD.filter((signal) => process.listenerCount(signal) === 0));
  for (const signal of HELD) process.on(signal, hold);
  try {
    return await work();
  } finally {
    for (const signal of HELD) process.off(signal, hold);
    const first = received.find((signal) => alone.has(signal));
    if (first) process.kill(process.pid, first);
  }
}
