import { Mutex } from 'async-mutex';
import { ContextSlot } from './context-slot';

/**
 * Which transaction a statement belongs to, on an asynchronous connection: the one whose work it is part of. Each
 * transaction (and each savepoint inside it) is a frame, and the async context of its work carries the frame
 * (AsyncLocalStorage, through a ContextSlot), so a store module asks for a statement as it always did and it runs in its caller's
 * transaction, while a person's read arriving meanwhile runs beside it, not inside it. A frame ends with its work:
 * whatever its work left running afterwards (a timer, a promise not awaited) finds no transaction and runs by itself.
 */
export interface Frame<Tx> {
  readonly tx: Tx;
  /** 1 for the transaction itself, one more for each savepoint inside. */
  readonly depth: number;
  open: boolean;
  /** The frame a savepoint is inside. */
  readonly parent: Frame<Tx> | null;
  /** A frame's savepoints go one at a time: two side by side would interleave their statements. */
  readonly children: Mutex;
}

export class TransactionScopes<Tx> {
  private readonly storage = new ContextSlot<Frame<Tx>>();
  /** This process's writers of the connection take turns: a transaction holds its connection from begin to end. */
  readonly turn = new Mutex();

  /**
   * The caller's open frame, if its async context is inside one: what a savepoint's work left running after its end
   * belongs to the frame around it.
   */
  current(): Frame<Tx> | undefined {
    let frame = this.storage.get();
    while (frame && !frame.open) frame = frame.parent ?? undefined;
    return frame;
  }

  /**
   * Runs `work` outside any transaction, though it is started from inside one: work that goes on by itself (a triage
   * that waits for a model) would otherwise make its writes savepoints of a transaction that commits without them.
   */
  detached<T>(work: () => T): T {
    return this.storage.exit(work);
  }

  /** Runs `work` as the transaction `tx`'s outermost frame; the frame is closed once it ends. */
  async inTransaction<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
    return this.inFrame({ tx, depth: 1, open: true, parent: null, children: new Mutex() }, work);
  }

  /**
   * Runs `work` as a savepoint of `parent`: after the parent's other savepoints under way, with `around` (which
   * starts, ends or undoes the savepoint itself) wrapped around it.
   */
  async inSavepoint<T>(
    parent: Frame<Tx>,
    around: (name: string, work: () => Promise<T>) => Promise<T>,
    work: () => Promise<T>,
  ): Promise<T> {
    return parent.children.runExclusive(async () => {
      const frame: Frame<Tx> = { tx: parent.tx, depth: parent.depth + 1, open: true, parent, children: new Mutex() };
      return around(`wg_savepoint_${frame.depth}`, () => this.inFrame(frame, work));
    });
  }

  private async inFrame<T>(frame: Frame<Tx>, work: () => Promise<T>): Promise<T> {
    try {
      return await this.storage.run(frame, work);
    } finally {
      frame.open = false;
    }
  }
}
