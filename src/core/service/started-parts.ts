/**
 * The parts a coordinator's start has opened so far, each with its close. A start that fails part way closes them in
 * reverse (the last opened first), so nothing it began (a lock, a listener, a lease) outlives the failure.
 */
export class StartedParts {
  private readonly closes: Array<() => Promise<void>> = [];

  add(close: () => Promise<void>): void {
    this.closes.push(close);
  }

  /** Each one closed even when an earlier close fails: the failure of the start is the error a caller is told. */
  async closeAll(): Promise<void> {
    for (const close of this.closes.reverse()) {
      try {
        await close();
      } catch {
        // The start's own failure is what is reported; a part that cannot close now is as a crash leaves it.
      }
    }
  }
}
