import { WgError } from '../../../shared/errors';
import { ContentionError, DatabaseUnreachableError } from '../sql-connection';

/** What went wrong, in the server's or the socket's own terms (pg-errors.ts words it for a person). */
export interface PgFailure {
  /** SQLSTATE (`55P03`), or the socket's code (`ECONNREFUSED`), or '' */
  code: string;
  message: string;
  /** The connection is gone (lost, refused, or closed by the server): a transaction on it is over. */
  lost: boolean;
}

/** A failure of `query`, with what the server or the socket said. */
export class StepFailure extends Error {
  constructor(readonly failure: PgFailure) {
    super(failure.message);
    this.name = 'StepFailure';
  }
}

/** The server's or the socket's failure in its own terms, and whether the connection is gone with it. */
export function failureOf(error: unknown, broken = false): PgFailure {
  if (error instanceof StepFailure) return error.failure;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const sqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
  // An error class 08 (connection), 57P0x (the server shutting down), or one of the socket's own.
  const lost =
    sqlState === null ? true : sqlState.startsWith('08') || sqlState.startsWith('57P') || sqlState === '53300' || sqlState === '28000';
  return { code: typeof code === 'string' ? code : '', message: text, lost: lost || broken };
}

/** The password the server asked for was not there (node-postgres's own words for it). */
const NO_PASSWORD = /password must be a (non-empty )?string|no password|password authentication/i;

/**
 * A failure of the PostgreSQL store in one plain line. What a person can act on (the server down, a
 * login refused, a full disk, a long wait for another writer) is a WgError; anything else is this
 * app's own mistake (SQL the server refused) and keeps the server's words, with its code.
 */
export function pgFailure(failure: PgFailure, shown: string): Error {
  const { code, message } = failure;
  // A person or a daemon reaching the coordinator over the network is told that its store cannot be used, not where it is.
  const elsewhere = "the coordinator cannot use its database now; 'wg service status' on its machine says why";
  const line = (text: string) => new WgError('unavailable', text, elsewhere);
  // The server away for now (down, restarting, the network gone): the same work succeeds once it is back.
  const away = (text: string) => new DatabaseUnreachableError(text, elsewhere);
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOENT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return away(`cannot reach the PostgreSQL server of ${shown} (${plainSocketError(code)}); is it running?`);
    case '28P01':
    case '28000':
      return line(`the PostgreSQL server refused the login for ${shown}: check the user, and PGPASSWORD or ~/.pgpass`);
    case '3D000':
      return line(`the database of ${shown} does not exist on its server; create it first (createdb)`);
    case '42501':
      return line(`the PostgreSQL user of ${shown} lacks a permission it needs (to make or change this project's schema)`);
    case '53100':
      return line(`the PostgreSQL server of ${shown} has no room left on its disk; nothing more was written`);
    case '53200':
      return line(`the PostgreSQL server of ${shown} ran out of memory; try again`);
    case '53300':
      // A server just back from a restart, every client reconnecting at once: it passes by itself, as the others do.
      return away(`the PostgreSQL server of ${shown} has too many connections; try again later`);
    case '55P03':
      return new ContentionError("another process held the project's write turn for too long; try again");
    case '40001':
    case '40P01':
      return new ContentionError('the change met another at the same moment and was undone; try again');
    case '22012':
      // A claim's check that its task is still as it was read (failUnlessAsRead): the store's other divisions, the
      // lease's fence and a planned write's check, are told apart by the connection before this.
      return new WgError('conflict', 'the task changed since it was read (another coordinator claimed it meanwhile); nothing was written');
    case '25006':
      return line(`the PostgreSQL server of ${shown} only reads (a standby); point the store at its primary`);
    case '57014':
      return line(`the PostgreSQL server of ${shown} cancelled a statement that ran too long; try again`);
    case '57P01':
    case '57P02':
    case '57P03':
      return away(`the PostgreSQL server of ${shown} is shutting down or starting; try again in a moment`);
    default:
      break;
  }
  if (!code && NO_PASSWORD.test(message)) {
    return line(`the PostgreSQL server of ${shown} asks for a password: set PGPASSWORD or add it to ~/.pgpass`);
  }
  if (!code && /does not support SSL/i.test(message)) {
    return line(`the PostgreSQL server of ${shown} does not accept SSL: leave sslmode out of the URL, or turn SSL on at the server`);
  }
  if (failure.lost) return away(`lost the connection to the PostgreSQL server of ${shown}; try again`);
  return new Error(`PostgreSQL refused a statement (${code || 'no code'}): ${message}`);
}

function plainSocketError(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOENT':
      return 'no server socket there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'unknown host';
    case 'ETIMEDOUT':
      return 'no answer';
    default:
      return 'unreachable';
  }
}
