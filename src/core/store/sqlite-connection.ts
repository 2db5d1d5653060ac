import Database from 'better-sqlite3';

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
 * They are few: a process holds one or two connections for its life, and the store caches its statements
 * (StoreCore.sql), so this holds little more than the process holds anyway.
 */
const kept: object[] = [];

export function openSqlite(filename?: string | Buffer, options?: Database.Options): Database.Database {
  const db = new Database(filename, options);
  kept.push(db);
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const statement = prepare(source);
    kept.push(statement);
    return statement;
  }) as Database.Database['prepare'];
  // better-sqlite3's own pragma() prepares through the native handle, past prepare(): this one goes through it.
  db.pragma = ((source: string, pragmaOptions?: Database.PragmaOptions) => {
    const statement = db.prepare(`PRAGMA ${source}`);
    if (!statement.reader) {
      statement.run();
      return pragmaOptions?.simple ? undefined : [];
    }
    return pragmaOptions?.simple ? statement.pluck().get() : statement.all();
  }) as Database.Database['pragma'];
  return db;
}
