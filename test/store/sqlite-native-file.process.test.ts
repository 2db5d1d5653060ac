import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, TempProject } from '../helpers/wg-cli';

/**
 * `wg`'s bundle holds better-sqlite3's JavaScript and loads the native file from the package in node_modules
 * (scripts/build-cli.mjs, openSqlite). An install whose native build failed (no compiler, an interrupted
 * `npm install`) has the package without its file: `wg` says so in one line with what to run, and changes nothing.
 * The install here is the built bin and bundle beside a better-sqlite3 holding only its package.json: all the bundle
 * needs from node_modules.
 */
const p = new TempProject('wg-native-file-');
afterAll(() => p.remove());

describe('an install whose SQLite native file was not built', () => {
  it('is told in one line what to run, and the project is left as it was', async () => {
    await p.ok(['init', '--no-agency']);
    await p.ok(['add', 'Write it', '--id', 'write-it']);
    const install = join(p.root, 'install');
    cpSync(join(REPO, 'bin'), join(install, 'bin'), { recursive: true });
    cpSync(join(REPO, 'out', 'cli'), join(install, 'out', 'cli'), { recursive: true });
    const sqlite = join(install, 'node_modules', 'better-sqlite3');
    mkdirSync(sqlite, { recursive: true });
    writeFileSync(join(sqlite, 'package.json'), readFileSync(join(REPO, 'node_modules', 'better-sqlite3', 'package.json')));
    const db = join(p.root, '.workgraph', 'graph.db');
    const before = readFileSync(db);

    const result = await execa('node', [join(install, 'bin', 'wg.js'), 'done', 'write-it'], { cwd: p.root, env: p.env, reject: false });
    expect(result).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `wg: the SQLite module is not built (${join(sqlite, 'build', 'Release', 'better_sqlite3.node')} is not there): run \`npm rebuild better-sqlite3\` in Workgraph Desktop's folder`,
    });
    expect(readFileSync(db).equals(before)).toBe(true);
    // The same command from this checkout's own install, its native file built: it runs.
    await p.ok(['done', 'write-it']);
  });
});
