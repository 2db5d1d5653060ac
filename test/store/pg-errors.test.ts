import { describe, expect, it } from 'vitest';
import { WgError } from '../../src/shared/errors';
import { pgFailure } from '../../src/core/store/postgres/pg-errors';

const shown = 'postgresql://wg@db/wg?schema=shop';
const driverText = 'relation "x" does not exist at character 15 (from node-postgres)';

describe("a PostgreSQL store's failures, in one plain line", () => {
  it("says what a person can act on, never the driver's words", () => {
    const cases: Array<[code: string, lost: boolean, said: RegExp]> = [
      ['ECONNREFUSED', true, /cannot reach the PostgreSQL server of .* \(connection refused\); is it running\?/],
      ['ENOENT', true, /cannot reach .* \(no server socket there\)/],
      ['28P01', true, /refused the login .*PGPASSWORD or ~\/\.pgpass/],
      ['3D000', true, /the database of .* does not exist on its server/],
      ['53100', false, /has no room left on its disk; nothing more was written/],
      ['55P03', false, /another process held the project's write turn for too long; try again/],
      ['57P01', true, /is shutting down or starting; try again in a moment/],
      ['08006', true, /lost the connection to the PostgreSQL server of/],
    ];
    for (const [code, lost, said] of cases) {
      const error = pgFailure({ code, message: driverText, lost }, shown);
      expect(error, code).toBeInstanceOf(WgError);
      expect(error.message, code).toMatch(said);
      expect(error.message, code).not.toContain('node-postgres');
      expect(error.message.split('\n'), code).toHaveLength(1);
    }
  });

  it('asks for the password the server wanted and did not get', () => {
    const error = pgFailure({ code: '', message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a string', lost: true }, shown);
    expect(error.message).toBe(`the PostgreSQL server of ${shown} asks for a password: set PGPASSWORD or add it to ~/.pgpass`);
  });

  it('asks for the password where PGPASSWORD is set but empty, and says when the server takes no SSL (not "lost the connection")', () => {
    const empty = pgFailure(
      { code: '', message: 'SASL: SCRAM-SERVER-FIRST-MESSAGE: client password must be a non-empty string', lost: true },
      shown,
    );
    expect(empty.message).toBe(`the PostgreSQL server of ${shown} asks for a password: set PGPASSWORD or add it to ~/.pgpass`);
    const ssl = pgFailure({ code: '', message: 'The server does not support SSL connections', lost: true }, shown);
    expect(ssl.message).toBe(
      `the PostgreSQL server of ${shown} does not accept SSL: leave sslmode out of the URL, or turn SSL on at the server`,
    );
  });

  it("keeps the server's words, with its code, for SQL it refused: this app's own mistake, not a person's", () => {
    const error = pgFailure({ code: '42P01', message: 'relation "x" does not exist', lost: false }, shown);
    expect(error).not.toBeInstanceOf(WgError);
    expect(error.message).toBe('PostgreSQL refused a statement (42P01): relation "x" does not exist');
  });
});
