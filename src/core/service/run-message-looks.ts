import { errorText } from '../../shared/errors';
import { markInboxesOfOwnRuns } from '../messages/team-delivery';
import type { Store } from '../store/store';

/**
 * A team's graph: a message to one of this coordinator's runs may be sent through any coordinator of the project,
 * so after commits this one looks for messages to its own runs and marks their inboxes. One look per round of the
 * event loop however many commits it heard (a coordinator that wakes from a freeze hears every commit made
 * meanwhile at once). Alone on its graph (no coordinator id) it has nothing to look for: its own API delivers.
 */
export class RunMessageLooks {
  /** Fenced or closing: its runs are another's, or stopping, and their messages are not this one's to look for. */
  private delivering = true;
  private queued = false;

  constructor(
    private readonly p: {
      store: Store;
      serviceDir: string;
      coordinatorId: string | null;
      log: { warn(message: string): void };
    },
  ) {}

  async look(): Promise<void> {
    const me = this.p.coordinatorId;
    if (me === null || !this.delivering) return;
    try {
      await markInboxesOfOwnRuns(this.p.store, this.p.serviceDir, me);
    } catch (error) {
      this.p.log.warn(`could not look for messages to this coordinator's runs: ${errorText(error)}`);
    }
  }

  queue(): void {
    if (this.queued) return;
    this.queued = true;
    setImmediate(() => {
      this.queued = false;
      // It says what it meets itself; outside whatever transaction asked for it.
      void this.p.store.core.detached(() => this.look());
    });
  }

  stop(): void {
    this.delivering = false;
  }
}
