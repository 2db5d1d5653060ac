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

export type WorkerRequest = OpenRequest | QueryRequest | CloseRequest;

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
