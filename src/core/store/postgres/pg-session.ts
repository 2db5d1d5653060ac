import pg from 'pg';
import { clientConfig } from './client-config';
import { failureOf, pgFailure, StepFailure } from './pg-errors';
import type { PgTarget } from './store-url';
import { runHop } from '../../timing/run-hops';

/** One statement: its text, its values, and the name the server keeps it prepared under (its text parsed once). */
export interface Step {
  text: string;
  values?: unknown[];
  name?: string;
}

/** What one statement answered: its columns' names, its rows as arrays of values, how many rows it touched. */
export interface Answer {
  fields: string[];
  rows: unknown[][];
  rowCount: number;
  command: string;
}

/**
 * One connection to the project's PostgreSQL server (node-postgres), pipelined: statements sent one after the other
 * without waiting for each answer go out together, and arrive in order, so independent statements cost one round
 * trip. A connection lost between uses is made again at the next; one lost in the middle of a transaction fails what
 * was under way (StepFailure, `lost`), and the transaction with it.
 */
export class PgSession {
  private client: pg.Client | null = null;
  private connecting: Promise<pg.Client> | null = null;
  /** Set when the connection broke between requests (the server restarted, the network went). */
  private broken: Error | null = null;
  private closed = false;
  /** Statements sent and not yet answered: while there are any, the socket keeps the process alive. */
  private inFlight = 0;
  /**
   * The statements of the round trip under way: those sent from the moment the connection had none in flight until it
   * has none again went out together and were waited for together (pipelined), one round trip.
   */
  private trip: string[] = [];
  /** The socket is held (corked) until this go of the thread ends: what it is sent meanwhile leaves in one write. */
  private corked = false;

  constructor(
    readonly target: PgTarget,
    private readonly lockTimeoutMs: number,
    private readonly applicationName: string,
  ) {}

  /** Connects now, if it is not yet: what fails says so in one line (pg-errors.ts). */
  async open(): Promise<void> {
    try {
      await this.connected();
    } catch (error) {
      throw pgFailure(failureOf(error), this.target.shown);
    }
  }

  /**
   * Sends one statement; rows come as arrays of values. `continues`: it belongs to a transaction begun on this
   * connection, so a connection found lost is not made again for it (the transaction is over).
   */
  async query(step: Step, continues: boolean): Promise<Answer> {
    let client: pg.Client;
    if (continues) {
      if (!this.client || this.broken) throw new StepFailure({ code: '08003', message: 'the connection was lost', lost: true });
      client = this.client;
    } else {
      try {
        client = await this.connected();
      } catch (error) {
        throw new StepFailure(failureOf(error, true));
      }
    }
    this.busy(client, 1);
    this.trip.push(step.text);
    this.holdWritesThisGo(client);
    try {
      const result = await client.query({ text: step.text, values: step.values, name: step.name, rowMode: 'array' });
      // A text of several statements (a migration's) answers with each one's result: the last is its answer.
      const last = (Array.isArray(result) ? result.at(-1) : result) as pg.QueryArrayResult | undefined;
      if (!last) return { fields: [], rows: [], rowCount: 0, command: '' };
      return { fields: last.fields.map((field) => field.name), rows: last.rows, rowCount: last.rowCount ?? 0, command: last.command };
    } catch (error) {
      const failure = failureOf(error, this.broken !== null || this.client !== client);
      if (failure.lost) this.drop(client);
      throw new StepFailure(failure);
    } finally {
      this.busy(client, -1);
    }
  }

  /**
   * An idle connection must not keep a process alive that has nothing else to do (a `wg` command that has printed),
   * and one with a statement under way must, or the process would end before its answer came.
   */
  private busy(client: pg.Client, change: 1 | -1): void {
    this.inFlight += change;
    const stream = streamOf(client);
    if (this.inFlight === 1 && change === 1) stream?.ref?.();
    else if (this.inFlight === 0) {
      stream?.unref?.();
      const trip = this.trip;
      this.trip = [];
      runHop('d-sql', () => trip.map((text) => text.replace(/\s+/g, '_').slice(0, 60)).join(';'));
    }
  }

  /**
   * node-postgres writes each statement to the socket on its own: a round trip of fifteen statements (an API read) was
   * fifteen system calls and as many packets on the network. Held until the statements sent in this go of the thread
   * (this tick's promise jobs included) are all queued, they leave in one write.
   */
  private holdWritesThisGo(client: pg.Client): void {
    const stream = streamOf(client);
    if (this.corked || !stream?.cork || !stream.uncork) return;
    this.corked = true;
    stream.cork();
    process.nextTick(() => {
      this.corked = false;
      stream.uncork?.();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    // Held while it closes: an idle connection's socket does not keep the process alive, and a caller that waits for the
    // close (a wg command that then says why it failed) would see its process end with nothing said.
    streamOf(client)?.ref?.();
    await client?.end().catch(() => undefined);
  }

  private async connected(): Promise<pg.Client> {
    if (this.closed) throw new StepFailure({ code: '', message: 'the store is closed', lost: true });
    if (this.client && this.broken) this.drop(this.client);
    if (this.client) return this.client;
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<pg.Client> {
    const config = {
      ...clientConfig(pg.types, this.target.connectionString, this.target.schema, this.lockTimeoutMs, this.applicationName),
      pipeline: true,
    };
    const made = new pg.Client(config);
    made.on('error', (error) => {
      if (this.client === made) this.broken = error;
    });
    made.on('end', () => {
      if (this.client === made) this.broken ??= new Error('the connection ended');
    });
    try {
      await made.connect();
    } catch (error) {
      made.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      made.end().catch(() => undefined);
      throw new StepFailure({ code: '', message: 'the store is closed', lost: true });
    }
    if (this.inFlight === 0) streamOf(made)?.unref?.();
    this.broken = null;
    this.client = made;
    return made;
  }

  private drop(client: pg.Client): void {
    if (this.client === client) {
      this.client = null;
      this.broken = null;
    }
    client.end().catch(() => undefined);
  }
}

/** The socket under a node-postgres client, which its public API does not give (for ref and unref, cork and uncork). */
interface ClientSocket {
  ref?: () => void;
  unref?: () => void;
  cork?: () => void;
  uncork?: () => void;
}

function streamOf(client: pg.Client | null): ClientSocket | undefined {
  return (client as unknown as { connection?: { stream?: ClientSocket } } | null)?.connection?.stream;
}
