import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { WgError } from '../../shared/errors';

/** Set by the CLI's build (scripts/build-cli.mjs), which bundles better-sqlite3's JavaScript into `wg`. */
declare const __WG_BUNDLED_SQLITE__: boolean | undefined;

/**
 * Every better-sqlite3 connection and statement this process makes, kept until it exits.
 *
 * better-sqlite3 12 wraps them in node::ObjectWrap. On Node 24 (and Electron 40 and later, whose Node is 24) the
 * wrapper's destructor aborts the whole process when V8 collects one in a garbage collection that runs outside
 * JavaScript ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook; WiseLibs/better-sqlite3#1476):
 * `wg show` aborted in about half of its runs on Node 24.21, and none in 24 once its statements were kept.
 * better-sqlite3 13 is rebuilt on Node-API and has no such destructor, but it needs Node 22 (on Node 20, which
 * this app supports, it crashes at once).
 *
 * A kept object is never collected; when the process ends, Node's own cleanup frees them while it still may.
 * They are few: a process holds one or two connections for its life, the store caches its statements
 * (StoreCore.sql), and a pragma that sets a value makes none (below), so this holds little more than the process holds
 * anyway.
 */
const kept: object[] = [];

/** A pragma that sets a value (`journal_mode = WAL`), not one that reads (`user_version`, `table_info(tasks)`). */
const SETTING = /^\s*[\w.]+\s*=/;

export function openSqlite(filename?: string | Buffer, options?: Database.Options): Database.Database {
  const binding = nativeBinding();
  const db = withNativeModule(binding, () => new Database(filename, { ...options, nativeBinding: binding?.path }));
  kept.push(db);
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    kept.push(statement);
    return statement;
  }) as Database.Database['prepare'];
  // better-sqlite3's own pragma() prepares through the native handle, past prepare(): this one goes through it.
  db.pragma = ((source: string, pragmaOptions?: Database.PragmaOptions) => {
    // A setting (`busy_timeout = 0`) is run, not prepared: a prepared statement is kept for the process's life (above),
    // and a connection sets its busy timeout twice in every write transaction (sqlite-sql-connection.ts), which kept
    // two statements for each. Nothing reads what a setting answers.
    if (SETTING.test(source)) {
      db.exec(`PRAGMA ${source}`);
      return pragmaOptions?.simple ? undefined : [];
    }
    const statement = db.prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return pragmaOptions?.simple ? undefined : [];
    }
    return pragmaOptions?.simple ? statement.pluck().get() : statement.all();
  }) as Database.Database['pragma'];
  // SQLite's default keeps its temporary tables in a file: a statement that sorts with a LIMIT, or reads from a list
  // it builds first (an IN over a subquery, as the ready reads and the turn's reads of the ready tasks do), opens and
  // unlinks one on every run, about a millisecond each (0.01 ms in memory). Our temporary tables hold a ready list or
  // one page of rows, never a database's worth.
  db.pragma('temp_store = MEMORY');
  return db;
}

/** The native file a connection loads, where it is not better-sqlite3's own choice. */
interface NativeBinding {
  path: string;
  /** Named by WG_SQLITE_BINDING, not found in the package. */
  chosen: boolean;
}

/**
 * WG_SQLITE_BINDING names the build the app uses under Electron in development (src/main/wg-command/electron-sqlite.ts).
 * In `wg`'s own bundle, better-sqlite3's JavaScript is bundled and its native file is the package's: its own search
 * (the `bindings` package) would look beside the bundle. Elsewhere (the app's main process, tests run from the source)
 * better-sqlite3 finds its file itself.
 */
function nativeBinding(): NativeBinding | undefined {
  const chosen = process.env.WG_SQLITE_BINDING;
  if (chosen) return { path: chosen, chosen: true };
  if (typeof __WG_BUNDLED_SQLITE__ === 'undefined') return undefined;
  const packageJson = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
  return { path: join(dirname(packageJson), 'build', 'Release', 'better_sqlite3.node'), chosen: false };
}

/**
 * The native module is loaded by the first connection. Built for another runtime (Node switched, or a build for
 * Electron in Node's place), Node's loader says so in four lines of NODE_MODULE_VERSION numbers; a person is told
 * instead what to run. So is a native file that is not there.
 */
function withNativeModule<T>(binding: NativeBinding | undefined, open: () => T): T {
  try {
    return open();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ERR_DLOPEN_FAILED' && !(code === 'MODULE_NOT_FOUND' && binding)) throw error;
    throw new WgError('unavailable', nativeModuleProblem(error as Error, binding));
  }
}

function nativeModuleProblem(error: Error, binding: NativeBinding | undefined): string {
  const chosen = binding?.chosen ? binding.path : undefined;
  const runtime = process.versions.electron ? `Electron ${process.versions.electron}` : `Node.js ${process.version}`;
  const fix = process.versions.electron
    ? "`npm run dev` in Workgraph Desktop's folder builds it"
    : chosen
      ? "unset WG_SQLITE_BINDING (it is the desktop app's, for Electron)"
      : "run `npm rebuild better-sqlite3` in Workgraph Desktop's folder";
  if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') {
    return chosen
      ? `the SQLite module WG_SQLITE_BINDING names is not there (${chosen}): ${fix}`
      : `the SQLite module is not built (${binding?.path} is not there): ${fix}`;
  }
  if (error.message.includes('NODE_MODULE_VERSION')) {
    return `the SQLite module${chosen ? ` WG_SQLITE_BINDING names (${chosen})` : ''} was built for another runtime than this ${runtime}: ${fix}`;
  }
  // Not a version: the system's loader's own reason (a missing library, a damaged file) is the useful part.
  const reason = (error.message.split('\n')[0] ?? '').replace(/^.*?\.node: /, '');
  return `the SQLite module${chosen ? ` WG_SQLITE_BINDING names (${chosen})` : ''} cannot be loaded by this ${runtime} (${reason}): ${fix}`;
}
