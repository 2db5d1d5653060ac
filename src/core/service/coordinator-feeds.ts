import type { OutputEvent } from '../../shared/api-contract';

type Unsubscribe = () => void;

/**
 * The project's last revision this coordinator knows, and who is told of each newer one. A part subscribes once it
 * exists, so the coordinator's parts are made in the order they need each other, none waiting behind a placeholder.
 * Viewers (the windows' event stream, `onChange` listeners) are told first, at once; then the parts that act on a
 * change, one after another in the order they subscribed.
 */
export class RevisionFeed {
  private last: number;
  private readonly viewers = new Set<(rev: number) => void>();
  private readonly actors: Array<(rev: number) => void | Promise<void>> = [];

  constructor(rev: number) {
    this.last = rev;
  }

  get rev(): number {
    return this.last;
  }

  onView(listener: (rev: number) => void): Unsubscribe {
    this.viewers.add(listener);
    return () => this.viewers.delete(listener);
  }

  onNew(listener: (rev: number) => void | Promise<void>): void {
    this.actors.push(listener);
  }

  /** A revision read from the store; false when it is not newer than the last known. */
  async advance(rev: number): Promise<boolean> {
    if (rev <= this.last) return false;
    this.last = rev;
    for (const viewer of this.viewers) viewer(rev);
    for (const actor of this.actors) await actor(rev);
    return true;
  }

  /**
   * Revisions committed while nothing could act on them yet (the import a start makes): known without telling,
   * since what is made after this reads the store as it then is.
   */
  knownAlready(rev: number): void {
    this.last = Math.max(this.last, rev);
  }

  /**
   * Viewers are told to read the state again at the revision they have: what they show changed with no commit (the
   * upstream sync's problem, which writes nothing: graph.db may be the very thing failing, a full disk).
   */
  retell(): void {
    for (const viewer of this.viewers) viewer(this.last);
  }
}

/** Every run's output as this coordinator hears it, to the windows' event stream and every other listener. */
export class OutputFeed {
  private readonly listeners = new Set<(event: OutputEvent) => void>();

  on(listener: (event: OutputEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  readonly emit = (event: OutputEvent): void => {
    for (const listener of this.listeners) listener(event);
  };
}
