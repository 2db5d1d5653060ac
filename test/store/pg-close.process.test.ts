import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';

/*
 * A `wg` process that closes its PostgreSQL store and then goes on. The store's idle connections do not keep a
 * process alive (a command that has printed must end), and its close waited for the server's goodbye on such a one:
 * with nothing else left to run the process ended there, exit code 0, and `wg init --store` had made no folder.
 */

const made: TempProject[] = [];
afterEach(() => {
  for (const p of made.splice(0)) p.remove();
});

describe("a wg process on a team's store", () => {
  it('wg init --store, as a process of its own, makes the project that keeps its graph there', async () => {
    const { url } = freshSchema('init');
    const p = new TempProject('wg-pg-init-');
    made.push(p);
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const result = await p.wgProcess(['init', '--store', url]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Initialized workgraph in .*; its graph is kept in postgresql:/m);
    const config = join(p.root, '.workgraph', 'config.toml');
    expect(existsSync(config)).toBe(true);
    expect(readFileSync(config, 'utf8')).toContain(url);
  }, 60_000);
});
