import type { SpawnSyncReturns } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import childProcess from 'node:child_process';
import { sqlSession } from './sql-session';

/**
 * A real PostgreSQL server for the tests (Debian's `postgresql` package: `.ci/run` installs it): made
 * with initdb in a temporary folder, listening on a unix socket there only, started with pg_ctl. It
 * refuses to run as root, so where the tests run as root it runs as the `postgres` user. One server per
 * test process, started when first asked for; it stops when the process exits, and a watchdog stops it
 * if the process is killed first.
 */
export interface PgServer {
  /** The folder that holds its socket (the URL's host). */
  socketDir: string;
  dataDir: string;
  /** The PostgreSQL URL of `database` on it (as the superuser `postgres`, trusted on the socket), with `schema` if given. */
  url(options?: { database?: string; schema?: string }): string;
  /** Runs SQL as the superuser, for what a test sets up around the store: its rows as `psql -qAt` prints them (sql-session.ts). */
  psql(sql: string, database?: string): string;
  /** `pg_ctl` with these arguments, as the server's user. */
  ctl(args: string[]): SpawnSyncReturns<string>;
  /** `pg_ctl restart -m fast`: every connection is cut, and the server is back when this returns. */
  restart(): void;
  /**
   * `pg_ctl stop -m fast`: every connection is cut and its socket goes, until `up` (a restart or failover that takes a
   * while: nothing answers meanwhile).
   */
  down(): void;
  /** Starts it again after `down`, as it was; it answers when this returns. */
  up(): void;
  stop(): void;
}

const AS_ROOT = typeof process.getuid === 'function' && process.getuid() === 0;

/** Debian puts the server's programs in /usr/lib/postgresql/<version>/bin, off PATH. */
function binary(name: string): string {
  const run = childProcess.spawnSync;
  const onPath = run('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (existsSync(join(root, version, 'bin', name))) return join(root, version, 'bin', name);
  throw new Error(`PostgreSQL's ${name} is not installed (apt-get install postgresql)`);
}

function asServerUser(command: string, args: string[]): SpawnSyncReturns<string> {
  const run = childProcess.spawnSync;
  const [file, fullArgs] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return run(file, fullArgs, { encoding: 'utf8' });
}

function must(result: SpawnSyncReturns<string>, what: string): string {
  if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** A folder of ours the server's user may write in (where the tests run as root, it is given to `postgres`). */
export function giveToServerUser(folder: string): void {
  if (AS_ROOT)
    chownSync(
      folder,
      Number(must(spawnSyncReal('id', ['-u', 'postgres']), 'id').trim()),
      Number(must(spawnSyncReal('id', ['-g', 'postgres']), 'id').trim()),
    );
}

function initdb(dataDir: string): void {
  must(
    asServerUser(binary('initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']),
    'initdb',
  );
}

/**
 * A new server's data folder. initdb makes the same one every time, so a test run makes it once and each server
 * copies it: in WG_TEST_PG_TEMPLATE's folder (made and removed by test/setup/pg-template.ts), the first process
 * to need it runs initdb (holding the folder `making`) and moves the result in place whole; the others wait for
 * it, and run initdb themselves should it not come (its maker was killed). Without that folder (a file run some
 * other way), initdb.
 */
function makeDataDir(dataDir: string): void {
  const templates = process.env.WG_TEST_PG_TEMPLATE;
  if (!templates || !existsSync(templates)) return initdb(dataDir);
  const template = join(templates, 'data');
  if (!existsSync(template)) {
    const making = join(templates, 'making');
    let mine = false;
    try {
      mkdirSync(making);
      mine = true;
    } catch {
      // Another process is making it.
    }
    if (mine) {
      giveToServerUser(making);
      initdb(join(making, 'data'));
      renameSync(join(making, 'data'), template);
    } else {
      const deadline = Date.now() + 60_000;
      const pause = new Int32Array(new SharedArrayBuffer(4));
      while (!existsSync(template) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 50);
      if (!existsSync(template)) return initdb(dataDir);
    }
  }
  must(asServerUser('cp', ['-a', template, dataDir]), 'copying the data folder initdb made');
}

export function startPostgresServer(settings: string[] = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off']): PgServer {
  const start = childProcess.spawn;
  const root = mkdtempSync(join(tmpdir(), 'wg-pg-'));
  giveToServerUser(root);
  const dataDir = join(root, 'data');
  makeDataDir(dataDir);
  const options = [
    "-c listen_addresses=''",
    `-k ${root}`,
    '-c max_connections=200',
    '-c shared_buffers=32MB',
    ...settings.map((s) => `-c ${s}`),
  ];
  const pgCtl = binary('pg_ctl');
  const ctl = (args: string[]) => asServerUser(pgCtl, ['-D', dataDir, ...args]);
  const startIt = () => must(ctl(['-o', options.join(' '), '-l', join(root, 'server.log'), '-w', 'start']), 'pg_ctl start');
  startIt();
  // Stops the server and removes its folder should this process die before it says so.
  const stopCommand = `${AS_ROOT ? 'runuser -u postgres -- ' : ''}${pgCtl} -D ${dataDir} -m immediate stop >/dev/null 2>&1; rm -rf ${root}`;
  const watchdog = start('sh', ['-c', `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCommand}`], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
  let stopped = false;
  const server: PgServer = {
    socketDir: root,
    dataDir,
    url: ({ database = 'postgres', schema } = {}) =>
      `postgresql://postgres@localhost/${database}?host=${encodeURIComponent(root)}${schema ? `&schema=${schema}` : ''}`,
    psql: (sql, database = 'postgres') => sqlSession().query(server.url({ database }), sql),
    ctl,
    // Its log goes to the file, not to pg_ctl's output: the server would hold that pipe open for good.
    restart: () => {
      must(ctl(['-l', join(root, 'server.log'), '-m', 'fast', '-w', 'restart']), 'pg_ctl restart');
    },
    down: () => {
      must(ctl(['-m', 'fast', '-w', 'stop']), 'pg_ctl stop');
    },
    up: () => {
      startIt();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      ctl(['-m', 'immediate', 'stop']);
      rmSync(root, { recursive: true, force: true });
      if (watchdog.pid) {
        try {
          process.kill(watchdog.pid);
        } catch {
          // Already gone.
        }
      }
    },
  };
  return server;
}

function spawnSyncReal(command: string, args: string[]): SpawnSyncReturns<string> {
  return childProcess.spawnSync(command, args, { encoding: 'utf8' });
}

const SHARED = Symbol.for('workgraph.test.postgresServer');
type WithServer = typeof globalThis & { [SHARED]?: PgServer };

/**
 * The server this test process shares between its files (the store's tests make a schema of their own
 * each): started on first use, stopped when the process exits.
 */
export function sharedPostgres(): PgServer {
  const holder = globalThis as WithServer;
  if (!holder[SHARED]) {
    const server = startPostgresServer();
    holder[SHARED] = server;
    process.once('exit', () => server.stop());
  }
  return holder[SHARED];
}

let schemas = 0;

/**
 * A fresh schema's URL on the shared server (the store makes the schema when it first opens it), and
 * psql on that server, for what a test sets up there beside the store.
 */
export function freshSchema(prefix = 't'): { url: string; schema: string; psql: (sql: string) => string } {
  const server = sharedPostgres();
  const schema = `${prefix}_${process.pid}_${++schemas}_${Math.random().toString(36).slice(2, 8)}`;
  return { url: server.url({ schema }), schema, psql: (sql) => server.psql(sql) };
}
