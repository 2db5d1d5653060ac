/**
 * Before `npm run dev` and `npm start`: better-sqlite3 built for this checkout's Electron, in a folder of its own
 * (src/main/wg-command/electron-sqlite.ts says why), leaving node_modules/better-sqlite3, Node's build, as it is.
 * Done once per Electron and better-sqlite3 version; after that this prints nothing and takes a few milliseconds.
 *
 * @electron/rebuild (electron-builder's own) does the build: it fetches the prebuilt binary for this Electron when
 * one is published, or compiles against Electron's headers. It is given a copy of the package in that folder
 * (without Node's build) and told that folder is the whole project, so it rebuilds nothing else.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { rebuild } from '@electron/rebuild';
import { type ElectronSqliteStamp, electronSqliteBinding, electronSqliteFolder, STAMP_FILE } from '../src/main/wg-command/electron-sqlite';

const root = process.cwd();
const versionOf = (packageFolder: string): string =>
  (JSON.parse(readFileSync(join(packageFolder, 'package.json'), 'utf8')) as { version: string }).version;

const source = join(root, 'node_modules', 'better-sqlite3');
const wanted: ElectronSqliteStamp = {
  electron: versionOf(join(root, 'node_modules', 'electron')),
  betterSqlite3: versionOf(source),
};
const folder = electronSqliteFolder(root);
const binding = electronSqliteBinding(root);

function builtAlready(): boolean {
  if (!existsSync(binding)) return false;
  try {
    const stamp = JSON.parse(readFileSync(join(folder, STAMP_FILE), 'utf8')) as Partial<ElectronSqliteStamp>;
    return stamp.electron === wanted.electron && stamp.betterSqlite3 === wanted.betterSqlite3;
  } catch {
    return false;
  }
}

async function build(): Promise<void> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const manifest = { name: 'workgraph-electron-sqlite', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } };
  writeFileSync(join(folder, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // The sources and package files only: Node's build (build/) is what must not move.
  cpSync(source, join(folder, 'node_modules', 'better-sqlite3'), {
    recursive: true,
    filter: (path) => relative(source, path).split(sep)[0] !== 'build',
  });
  await rebuild({
    buildPath: folder,
    projectRootPath: folder,
    electronVersion: wanted.electron,
    onlyModules: ['better-sqlite3'],
    force: true,
  });
  if (!existsSync(binding)) throw new Error(`no ${relative(root, binding)} after the build`);
  writeFileSync(join(folder, STAMP_FILE), `${JSON.stringify(wanted, null, 2)}\n`);
}

if (!builtAlready()) {
  console.log(`Building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} (once, beside Node's build)…`);
  try {
    await build();
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    console.error(`could not build better-sqlite3 for Electron ${wanted.electron}: ${reason}`);
    console.error("It needs the network once (a prebuilt binary or Electron's headers), or a C++ compiler and Python.");
    process.exit(1);
  }
}
