import { userInfo } from 'node:os';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { clientConfig } from '../../src/core/store/postgres/client-config';

/*
 * Following docs/team.md in a container, `wg init --store 'postgresql:///wg?host=/run/postgresql'` with $USER unset
 * logs in as the system's user, as psql does, not refused ("no PostgreSQL user name specified").
 */
const saved = { USER: process.env.USER, PGUSER: process.env.PGUSER };
afterEach(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const userOf = (url: string) => clientConfig(pg.types, url, 'wg', 1000, 'wg test').user;

describe('the user a PostgreSQL URL without one connects as', () => {
  it("is the system's name for whoever runs wg, as psql takes it, with $USER unset", () => {
    delete process.env.USER;
    delete process.env.PGUSER;
    expect(userOf('postgresql:///wg?host=/run/postgresql')).toBe(userInfo().username);
  });

  it("is PGUSER's where it is set, and the URL's own before either", () => {
    process.env.PGUSER = 'alice';
    expect(userOf('postgresql:///wg?host=/run/postgresql')).toBe('alice');
    expect(userOf('postgresql://bob@/wg?host=/run/postgresql')).toBe('bob');
  });
});
