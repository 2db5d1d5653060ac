import { expect, it } from 'vitest';
import { baseAgentEnv } from '../../../src/core/runs/starting/agent-env';
import { storeSecrets } from '../../../src/core/runs/starting/store-access-env';

/*
 * A run gets the coordinator's environment without what is the coordinator's own. The daemon that `wg service
 * start` starts reads WG_READY_FD (the pipe it says it answers on) once, after its coordinator, whose agents'
 * environment is read at its start, is open.
 */
it("hands a run none of the daemon's start-up pipe (WG_READY_FD)", () => {
  expect(baseAgentEnv({ PATH: '/usr/bin', WG_READY_FD: '3' })).toEqual({ PATH: '/usr/bin' });
});

/*
 * Nor any way into the project's store: libpq's variables, WG_STORE_URL, and the store's URL or password under any
 * other name. A database the run's own work needs (another database, another server) stays.
 */
it("hands a run no PG* variable, nor the store's URL or password under another name, and keeps other databases' URLs", () => {
  const store = 'postgresql://team@db.example.com:5433/wg?schema=shop&sslmode=disable';
  const env = {
    PATH: '/usr/bin',
    PGPASSWORD: 'pw-7d1e',
    PGPASSFILE: '/home/me/.pgpass',
    PGSERVICEFILE: '/home/me/.pg_service.conf',
    PGSSLROOTCERT: '/etc/ssl/db.pem',
    PGUSER: 'team',
    WG_STORE_URL: store,
    DATABASE_URL: 'postgres://other@db.example.com:5433/wg?schema=elsewhere',
    DB_PASSWORD: 'pw-7d1e',
    TEST_DATABASE_URL: 'postgresql://app@db.example.com:5433/app_test',
    LOCAL_DB: 'postgresql://app@localhost/app',
  };
  expect(baseAgentEnv(env, storeSecrets(store, env))).toEqual({
    PATH: '/usr/bin',
    TEST_DATABASE_URL: 'postgresql://app@db.example.com:5433/app_test',
    LOCAL_DB: 'postgresql://app@localhost/app',
  });
  // An SQLite project has no server to keep from its runs: its variables' names alone decide.
  expect(baseAgentEnv(env, storeSecrets('/p/.workgraph/graph.db', env))).toEqual({
    PATH: '/usr/bin',
    DATABASE_URL: 'postgres://other@db.example.com:5433/wg?schema=elsewhere',
    DB_PASSWORD: 'pw-7d1e',
    TEST_DATABASE_URL: 'postgresql://app@db.example.com:5433/app_test',
    LOCAL_DB: 'postgresql://app@localhost/app',
  });
});

it("keeps a variable that merely holds the same word as the password, under a name that is no secret's (USER=postgres)", () => {
  const env = { USER: 'postgres', PGPASSWORD: 'postgres' };
  expect(baseAgentEnv(env, storeSecrets('postgresql://postgres@localhost/wg', env))).toEqual({ USER: 'postgres' });
});
