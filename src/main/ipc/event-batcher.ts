/**
 * Forwards bursts of events at most once per `delayMs`, keeping only the latest event per key.
 * Lossless for this app's events: a change event carries the newest revision (fetch everything
 * since the last one seen) and an output event the newest total for its agent.
 */
export class EventBatcher<T> {
  private readonly pending = new Map<string, T>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly delayMs: number,
    private readonly keyOf: (event: T) => string,
    private readonly emit: (event: T) => void,
  ) {}

  push(event: T): void {
    this.pending.set(this.keyOf(event), event);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = [...this.pending.values()];
    this.pending.clear();
    for (const event of events) this.emit(event);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
