/** What the calling thread and the database worker (pg-worker.ts) say to each other. */

/** One statement for the worker to run; a request runs several in order, in one answer. */
export interface Step {
  text: string;
  values?: unknown[];
  /** The server keeps it prepared under this name (its text parsed once per connection). */
  name?: string;
}

/** Each store's connection is a session of the one worker, by its number. */
export interface OpenRequest {
  op: 'open';
  session: number;
  connectionString: string;
  schema: string;
  lockTimeoutMs: number;
}

interface QueryRequest {
  op: 'query';
  session: number;
  steps: Step[];
  /** The steps go on with a transaction begun before: a connection lost meanwhile must not be replaced silently. */
  continues: boolean;
}

interface CloseRequest {
  op: 'close';
  session: number;
}

/**
 * A statement the worker runs by itself, on a connection of its own, every `everyMs` while its caller has said nothing
 * for longer than `afterSilentMs` but not yet `withinSilentMs` (the caller's last word: `alive[0]`, in ms of
 * performance.timeOrigin + performance.now()). It stops when the statement touches no row, and with `step: null` or
 * the session's close. What it is for: the coordinator's lease, renewed while one long synchronous stretch of the
 * coordinator's own thread (a big import through its API, a burst of commands on a big graph) holds up its timers,
 * and never for a thread stuck for good.
 */
export interface StandingRequest {
  op: 'standing';
  session: number;
  step: Step | null;
  everyMs: number;
  afterSilentMs: number;
  withinSilentMs: number;
  alive: SharedArrayBuffer;
}

export type WorkerRequest = OpenRequest | QueryRequest | CloseRequest | StandingRequest;

/** What went wrong, in the server's or the socket's own terms (pg-errors.ts words it for a person). */
export interface WorkerFailure {
  /** SQLSTATE (`55P03`), or the socket's code (`ECONNREFUSED`), or '' */
  code: string;
  message: string;
  /** The connection is gone (lost, refused, or closed by the server): a transaction on it is over. */
  lost: boolean;
}

/** What one statement answered: its columns' names, its rows as arrays of values, how many rows it touched. */
export interface StepAnswer {
  fields: string[];
  rows: unknown[][];
  rowCount: number;
  command: string;
}

/** Every step's answer, in order (the last is the statement asked for; reads sent ahead have theirs before it). */
export type WorkerReply = { ok: true; answers: StepAnswer[] } | { ok: false; failure: WorkerFailure; step: number };
