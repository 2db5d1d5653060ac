import { join } from 'node:path';

/**
 * better-sqlite3 is a native module, built for one ABI: the one in node_modules is Node's (npm install builds or
 * fetches it), and `wg` in a terminal, the tests and the daemon load it under Node. The app in development runs
 * under Electron, whose ABI differs, so it gets a build of its own beside Node's (scripts/electron-sqlite.ts, run
 * before `npm run dev` and `npm start`) instead of Node's rebuilt in place, which left `wg` and `npm test` failing
 * after every `npm run dev` until `npm rebuild`. The packaged app needs none of this: electron-builder rebuilds its
 * own node_modules for Electron (electron-builder.yml).
 *
 * The main process and agents' `wg` (the app's binary as Node) load the file named by WG_SQLITE_BINDING
 * (openSqlite, src/core/store/sqlite-connection.ts); that variable is set only in development.
 */

/** The folder holding the Electron build: a small package of its own, so the rebuild touches nothing else. */
export function electronSqliteFolder(appPath: string): string {
  return join(appPath, 'node_modules', '.cache', 'workgraph-desktop', 'electron-sqlite');
}

/** The Electron build's native file, as better-sqlite3's `nativeBinding` option takes it. */
export function electronSqliteBinding(appPath: string): string {
  return join(electronSqliteFolder(appPath), 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/** What the folder was built for: a build is done again when either version moves. */
export interface ElectronSqliteStamp {
  electron: string;
  betterSqlite3: string;
}

export const STAMP_FILE = 'built-for.json';
