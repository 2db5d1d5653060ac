/**
 * Fixed facts both ends of the agent-daemon protocol agree on. A daemon and a coordinator with
 * different protocol versions refuse each other at once (one clear line) rather than misread messages.
 */
/**
 * 2: a job's result says what it did (its `work`), judged as a local run's exit is.
 * 3: a stopping daemon reports its jobs `stopped` and says goodbye (close 4013); a daemon no repository of its token
 * allows is refused (close 4014). A version-2 coordinator would refuse the `stopped` report as malformed, and a
 * version-2 daemon would reconnect forever on 4014.
 */
export const AGENT_PROTOCOL_VERSION = 3;

/** Where daemons open their WebSocket on the coordinator's API server. */
export const AGENT_WS_PATH = '/api/agents/ws';

/** Larger messages are refused by the socket itself (close code 1009) before anything parses them. */
export const MAX_AGENT_MESSAGE_BYTES = 4 * 1024 * 1024;

/** How often a daemon says it is alive. */
export const HEARTBEAT_INTERVAL_S = 10;

/** How long a new connection may take to authenticate before it is closed. */
export const AUTH_TIMEOUT_MS = 5000;

/** WebSocket close codes of the protocol (4000-4999 are for applications): the coordinator's, and the daemon's goodbye. */
export const CLOSE_CODES = {
  unauthorized: 4001,
  revoked: 4003,
  version: 4005,
  stalled: 4008,
  /** Another connection of the same daemon (its instance) took over: this one reconnects. */
  replaced: 4009,
  shutdown: 4010,
  /** A live connection with the same token and host name exists (another daemon process): this one is refused. */
  duplicate: 4011,
  /**
   * This connection stopped answering and another process with its token and host name took its place: its jobs were
   * declared lost and dispatched again, so the daemon stops them and exits (reconnecting, it ran them twice).
   */
  displaced: 4012,
  /**
   * The daemon's own, as it stops: every job it held is stopped (its lifeline ends whatever is left when it exits), so
   * the coordinator puts them back in the queue at once instead of waiting a stall timeout for a word that never comes.
   */
  stopping: 4013,
  /** Its token allows none of the repositories it offers: it could never be given a job, so it is refused and ends. */
  scope: 4014,
  /**
   * WebSocket's own "try again later": the coordinator cannot reach its database just now (a restart or failover of its
   * server), so it cannot tell who the daemon is or what it holds. The daemon keeps its jobs and connects again with
   * backoff, as after any drop; a daemon of an older version does the same with a code it does not know.
   */
  tryAgain: 1013,
} as const;
