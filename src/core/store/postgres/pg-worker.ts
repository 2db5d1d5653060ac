/**
 * The database worker: a thread of its own holding the process's PostgreSQL connections (node-postgres),
 * one per open store, so the store's calling thread can wait for each answer synchronously
 * (sync-worker.ts): the store and everything above it are synchronous on SQLite, and stay so on
 * PostgreSQL. It answers each request on the port, then wakes the caller through the shared flag.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { clientConfig } from './client-config';
import type { OpenRequest, StandingRequest, Step, WorkerFailure, WorkerReply, WorkerRequest } from './worker-protocol';

const { port, flag: flagBuffer } = workerData as { port: MessagePort; flag: SharedArrayBuffer };
const flag = new Int32Array(flagBuffer);

interface Session {
  settings: OpenRequest;
  client: pg.Client | null;
  /** Set when the connection broke between requests (the server restarted, the network went). */
  broken: Error | null;
}

const sessions = new Map<number, Session>();

/** A connection with a session's settings; `onError` hears its failures between requests. */
async function openClient(settings: OpenRequest, onError: (client: pg.Client, error: Error) => void): Promise<pg.Client> {
  const { connectionString, schema, lockTimeoutMs } = settings;
  // Pipelined: the steps of a request go out together, not each after the answer to the one before.
  const config = { ...clientConfig(pg.types, connectionString, schema, lockTimeoutMs, 'wg'), pipeline: true };
  const made = new pg.Client(config);
  made.on('error', (error) => onError(made, error));
  try {
    await made.connect();
  } catch (error) {
    made.end().catch(() => undefined);
    throw error;
  }
  return made;
}

async function connect(session: Session): Promise<pg.Client> {
  const made = await openClient(session.settings, (client, error) => {
    if (session.client === client) session.broken = error;
  });
  session.broken = null;
  return made;
}

interface Standing {
  timer: NodeJS.Timeout;
  /** Its own connection: never a statement in the middle of a transaction the caller has open on the session's. */
  client: pg.Client | null;
  running: boolean;
}

const standings = new Map<number, Standing>();

function stopStanding(session: number): void {
  const standing = standings.get(session);
  if (!standing) return;
  standings.delete(session);
  clearInterval(standing.timer);
  standing.client?.end().catch(() => undefined);
}

/** StandingRequest: its statement, run here while the caller is silent (but not for good). */
function startStanding(request: StandingRequest, settings: OpenRequest): void {
  stopStanding(request.session);
  const step = request.step;
  if (!step) return;
  const alive = new Float64Array(request.alive);
  const standing: Standing = {
    client: null,
    running: false,
    timer: setInterval(() => {
      const silent = performance.timeOrigin + performance.now() - (alive[0] ?? 0);
      if (standing.running || silent < request.afterSilentMs || silent > request.withinSilentMs) return;
      standing.running = true;
      runStanding(request.session, standing, settings, step).finally(() => {
        standing.running = false;
      });
    }, request.everyMs),
  };
  standings.set(request.session, standing);
}

async function runStanding(session: number, standing: Standing, settings: OpenRequest, step: Step): Promise<void> {
  try {
    if (!standing.client) {
      const made = await openClient(settings, (client) => {
        if (standing.client === client) standing.client = null;
        client.end().catch(() => undefined);
      });
      // Stopped while it connected (the session closed): the connection is not kept open for nothing.
      if (standings.get(session) !== standing) {
        made.end().catch(() => undefined);
        return;
      }
      standing.client = made;
    }
    const result = await standing.client.query({ text: step.text, values: step.values });
    // Nothing touched: the lease is no longer the caller's (declared lost); the caller finds that out itself.
    if ((result.rowCount ?? 0) === 0 && standings.get(session) === standing) stopStanding(session);
  } catch {
    // The server away: the next round tries again; the caller, once it runs, says so itself.
    const broken = standing.client;
    standing.client = null;
    broken?.end().catch(() => undefined);
  }
}

function failure(error: unknown, session?: Session): WorkerFailure {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  // An error class 08 (connection), 57P0x (the server shutting down), or one of the socket's own.
  const lost =
    sqlState === null ? true : sqlState.startsWith('08') || sqlState.startsWith('57P') || sqlState === '53300' || sqlState === '28000';
  return { code: typeof code === 'string' ? code : '', message: text, lost: lost || (session?.broken ?? null) !== null };
}

/** Ends a session's connection (it broke, or the store closed). */
function drop(session: Session): void {
  const dead = session.client;
  session.client = null;
  dead?.end().catch(() => undefined);
}

async function run(session: Session, steps: Step[], continues: boolean): Promise<WorkerReply> {
  if (session.client && session.broken) {
    const why = session.broken;
    drop(session);
    if (continues) return { ok: false, failure: failure(why, session), step: 0 };
  }
  if (!session.client) {
    if (continues) return { ok: false, failure: { code: '08003', message: 'the connection was lost', lost: true }, step: 0 };
    try {
      session.client = await connect(session);
    } catch (error) {
      return { ok: false, failure: failure(error, session), step: 0 };
    }
  }
  // Sent together (the connection pipelines them): one round trip to the server for a statement and what opens
  // its transaction or savepoint, or for a commit and its announcement. After a failed step, the next ones fail too
  // (the transaction is aborted): the first failure is the answer.
  const client = session.client;
  const settled = await Promise.allSettled(
    steps.map((step) => client.query({ text: step.text, values: step.values, name: step.name, rowMode: 'array' })),
  );
  const failed = settled.findIndex((outcome) => outcome.status === 'rejected');
  if (failed >= 0) {
    const reply: WorkerReply = { ok: false, failure: failure((settled[failed] as PromiseRejectedResult).reason, session), step: failed };
    if (reply.failure.lost) drop(session);
    return reply;
  }
  return {
    ok: true,
    answers: settled.map((outcome) => {
      // A text of several statements (a migration's) answers with each one's result: the last is its answer.
      const value = (outcome as PromiseFulfilledResult<pg.QueryArrayResult | pg.QueryArrayResult[]>).value;
      const result = Array.isArray(value) ? value.at(-1) : value;
      if (!result) return { fields: [], rows: [], rowCount: 0, command: '' };
      return {
        fields: result.fields.map((field) => field.name),
        rows: result.rows,
        rowCount: result.rowCount ?? 0,
        command: result.command,
      };
    }),
  };
}

const DONE: WorkerReply = { ok: true, answers: [] };

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  if (request.op === 'open') {
    const session: Session = { settings: request, client: null, broken: null };
    sessions.set(request.session, session);
    const reply = await run(session, [], false);
    if (!reply.ok) sessions.delete(request.session);
    return reply;
  }
  const session = sessions.get(request.session);
  if (request.op === 'standing') {
    if (session) startStanding(request, session.settings);
    else stopStanding(request.session);
    return DONE;
  }
  if (request.op === 'close') {
    stopStanding(request.session);
    sessions.delete(request.session);
    const client = session?.client;
    if (session) session.client = null;
    await client?.end().catch(() => undefined);
    return DONE;
  }
  if (!session) return { ok: false, failure: { code: '', message: 'the store is closed', lost: true }, step: 0 };
  return await run(session, request.steps, request.continues);
}

function answer(reply: WorkerReply): void {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on('message', (request: WorkerRequest) => {
  handle(request).then(answer, (error: unknown) => answer({ ok: false, failure: failure(error), step: 0 }));
});

// A worker that ends for any reason wakes a caller still waiting, which then reports it.
process.on('exit', () => {
  Atomics.store(flag, 1, 1);
  Atomics.notify(flag, 0);
});
