import { randomBytes } from 'node:crypto';
import { API_PREFIX } from '../../shared/api-contract';

/**
 * Where a coordinator answers another coordinator of its project for a page of a run's output:
 * `GET /api/peer/output/<agent>?offset=&limit=`, with the answering coordinator's output key as the bearer.
 */
export const PEER_OUTPUT_PREFIX = `${API_PREFIX}/peer/output/`;

/**
 * Where it answers a follow of a run's output, with the same key: `GET /api/peer/follow/<agent>`, one
 * answer for the run's life, a line at each growth (owned-follow.ts).
 */
export const PEER_FOLLOW_PREFIX = `${API_PREFIX}/peer/follow/`;

/**
 * A follow's answer repeats its total this often while the run is quiet, so each end learns when the other is gone
 * (a frozen or vanished machine closes nothing): the follower takes twice this without a line as the owner lost.
 */
export const FOLLOW_KEEPALIVE_MS = 25_000;

/**
 * A coordinator's output key: random at each start, written into its row of the project's `coordinators`
 * table. Whoever can read the project's store (every coordinator of the team, a person's `wg` with the
 * database's password) may read its runs' output, and this key lets them do only that: it opens no operation,
 * no event stream and no other run (only a page or a follow of its own runs' output), and it dies with the coordinator that made it. Neither the coordinator's
 * own token nor a person's token ever travels between coordinators.
 */
export function newOutputKey(): string {
  return randomBytes(32).toString('base64url');
}
