import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/core/store/sqlite-connection';
import { refusal } from '../helpers/refusal';
import { wgInProcess } from '../helpers/wg-cli';

/**
 * The app in development runs under Electron with a build of better-sqlite3 of its own, named by WG_SQLITE_BINDING
 * (src/main/wg-command/electron-sqlite.ts), so Node's build stays for `wg` and the tests. Electron itself cannot
 * start here; what can be checked is that the variable is what decides which file is loaded, and that a module the
 * runtime cannot load is one plain line that changes nothing.
 */
const NODE_BUILD = join(
  dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  'better_sqlite3.node',
);
const dir = mkdtempSync(join(tmpdir(), 'wg-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  delete process.env.WG_SQLITE_BINDING;
});

describe('the SQLite module a process loads', () => {
  it('is the file WG_SQLITE_BINDING names', () => {
    copyFileSync(NODE_BUILD, join(dir, 'copy.node'));
    process.env.WG_SQLITE_BINDING = join(dir, 'copy.node');
    const db = openSqlite(join(dir, 'named.db'));
    expect(db.prepare('SELECT 41 + 1 AS n').get()).toEqual({ n: 42 });
    db.close();
    // The loader mapped that very file into this process.
    expect(readFileSync('/proc/self/maps', 'utf8')).toContain(join(dir, 'copy.node'));
  });

  it('named but missing: one line saying so, and no database file made', async () => {
    process.env.WG_SQLITE_BINDING = join(dir, 'nowhere', 'better_sqlite3.node');
    const error = await refusal(() => openSqlite(join(dir, 'missing.db')));
    expect(error.code).toBe('unavailable');
    expect(error.message).toBe(
      `the SQLite module WG_SQLITE_BINDING names is not there (${join(dir, 'nowhere', 'better_sqlite3.node')}): ` +
        "unset WG_SQLITE_BINDING (it is the desktop app's, for Electron)",
    );
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
  });

  it('a file the loader refuses: its reason, without the loader’s stack', async () => {
    writeFileSync(join(dir, 'damaged.node'), 'not a shared object');
    process.env.WG_SQLITE_BINDING = join(dir, 'damaged.node');
    const error = await refusal(() => openSqlite(join(dir, 'damaged.db')));
    expect(error.message).toMatch(
      /^the SQLite module WG_SQLITE_BINDING names \(.*damaged\.node\) cannot be loaded by this Node\.js v[\d.]+ \([^\n]+\): unset WG_SQLITE_BINDING/,
    );
    expect(error.message).not.toContain('\n');
    expect(existsSync(join(dir, 'damaged.db'))).toBe(false);
  });

  it('through `wg`: the line on stderr, exit 1, the project untouched', async () => {
    const project = join(dir, 'project');
    mkdirSync(project);
    const env = { WG_HOME: join(dir, 'home'), WG_DIR: '', WG_AGENT_ID: '' };
    expect((await wgInProcess(['init'], { cwd: project, env })).exitCode).toBe(0);
    const db = join(project, '.workgraph', 'graph.db');
    const before = readFileSync(db);
    const result = await wgInProcess(['add', 'Write it'], {
      cwd: project,
      env: { ...env, WG_SQLITE_BINDING: join(dir, 'nowhere.node') },
    });
    expect(result).toMatchObject({ exitCode: 1, stdout: '' });
    expect(result.stderr).toMatch(/^wg: the SQLite module WG_SQLITE_BINDING names is not there \(.*nowhere\.node\): unset/);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});
