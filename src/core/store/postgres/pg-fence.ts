import { WriteEndedError } from '../sql-connection';
import type { Step } from './pg-session';

/**
 * A check a coordinator's every write makes inside its own transaction, right after the project's
 * lock: that it still holds the project's coordinator lease at its epoch (src/core/leases/). The lock
 * comes first, and a takeover takes it too, so a takeover and a write never overlap: a write either
 * committed before the takeover, or sees it and commits nothing.
 */
export interface Fence {
  /** A statement that fails (division by zero) when the lease is no longer held at this epoch. */
  check: Step;
  /** The words for a write the check refused. */
  refusal: string;
}

/** A write refused by the fence: another coordinator holds the project's lease now. */
export class FencedError extends WriteEndedError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'FencedError';
  }
}

/** How long a fenced coordinator's open transaction may sit idle before the server ends it (a frozen process's lock). */
export const FENCED_IDLE_MS = 5_000;
