/**
 * The HTTP API's fixed shapes, shared by the daemon and its clients.
 *
 * - `POST /api/op/<op-name>` with JSON body = the op input, header `Authorization: Bearer <token>`
 *   → 200 with the JSON result, or 4xx/5xx with `ApiError`. With the request header `WARNINGS_HEADER`, a 200's
 *   body is `OpReply` instead (the result and the operation's warnings), and the reply carries the header too.
 * - `POST /api/task/<id>/complete` (body: a JSON object `{agent?, run_id?, artifacts?}`, nothing else) is `task:done`;
 *   `POST /api/agent/<id>/heartbeat` is `task:heartbeat`.
 * - `GET /api/events?token=<token>`: server-sent events (EventSource cannot send headers):
 *   `change` with `ChangeEvent`, `output` with `OutputEvent`. With `&watch=<agent>`: only that run's
 *   `output`, for as long as the window watches it (on a team's graph, a run of another coordinator is
 *   followed there meanwhile).
 * - `GET /` serves the renderer (browser mode); the token travels in the URL fragment `#token=…`.
 */
export const API_PREFIX = '/api';
export const opPath = (name: string) => `${API_PREFIX}/op/${name}`;
export const EVENTS_PATH = `${API_PREFIX}/events`;
/**
 * The event stream of one run's output: while it is open, the coordinator follows that run wherever it runs (on a
 * team's graph, on the coordinator that ran it). Every client that shows a run's output opens it.
 */
export const WATCH_PARAM = 'watch';
export const watchPath = (agent: string) => `${EVENTS_PATH}?${WATCH_PARAM}=${encodeURIComponent(agent)}`;

/**
 * A `wg` asks for its operation's warnings (what a local `wg` prints on stderr, exit 0: "No changes made…") to come
 * back with the result. Asked for, so the window and an older `wg` get the plain result; answered with the same
 * header, so a `wg` talking to an older coordinator takes the plain result as it is.
 */
export const WARNINGS_HEADER = 'x-wg-warnings';

/** A 200's body when the request asked for the warnings (WARNINGS_HEADER). */
export interface OpReply {
  result: unknown;
  warnings: string[];
}

/** An answer with the operation's warnings (WARNINGS_HEADER), or undefined when it is not one. */
export function opReplyOf(body: unknown): OpReply | undefined {
  if (typeof body !== 'object' || body === null || !('result' in body) || !('warnings' in body)) return undefined;
  const { result, warnings } = body;
  return Array.isArray(warnings) && warnings.every((w) => typeof w === 'string') ? { result, warnings } : undefined;
}

export interface ApiError {
  error: string;
  code: string;
}

/** The store changed; fetch `graph:snapshot` with `since` = the last revision you saw. */
export interface ChangeEvent {
  rev: number;
}

/** An agent's output grew to `total` events. */
export interface OutputEvent {
  agent_id: string;
  total: number;
  /**
   * On a team's graph, a run of another coordinator that a window watches: its owner cannot be reached now,
   * in one line. The next event without it says the follow resumed.
   */
  away?: string;
}
