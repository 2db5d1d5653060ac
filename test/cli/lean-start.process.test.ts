import { readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../../src/shared/service-types';
import { until } from '../helpers/until';
import { REPO, TempProject, WG_BIN } from '../helpers/wg-cli';

/**
 * What a `wg` start loads (issue 77, item 5): every agent runs `wg show`, `wg list`, `wg log` and `wg done` many times,
 * and each module a start loads is read, compiled and run before the command does anything (npm run bench:cli measures
 * the CPU). These commands load their own operation's code, not that of other commands, of the coordinator, of a
 * team's PostgreSQL or of the network. Checked on the built CLI by the source files behind the chunks a real process
 * loaded (each chunk's source map names them), not by time.
 */
/** node-postgres and the store's modules that load it. */
const PG_DRIVER = /^node_modules\/(pg|pg-pool|pg-protocol)\/|^src\/core\/store\/postgres\/pg-(connection|migrate)\.ts$/;

describe('what a wg start loads', () => {
  let p: TempProject;
  let hook: string;
  let loadedFile: string;

  beforeAll(async () => {
    p = new TempProject('wg-lean-start-');
    loadedFile = join(p.root, 'loaded.json');
    hook = join(p.root, 'loaded-hook.cjs');
    // Written at the process's exit: every file its require() loaded.
    writeFileSync(
      hook,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loadedFile)}, JSON.stringify(Object.keys(require.cache))));\n`,
    );
    await p.ok(['init', '--no-agency']);
    await p.ok(['add', 'First', '--id', 'a', '--tag', 'plan']);
    await p.ok(['add', 'Second', '--id', 'b', '--after', 'a']);
    await p.ok(['add', 'Third', '--id', 'c']);
    await p.ok(['log', 'a', 'started on it']);
  });
  afterAll(() => p.remove());

  /** Every file `wg ARGS` loaded through require(), as the process's own paths. */
  async function filesLoadedBy(args: string[]): Promise<string[]> {
    const result = await execa('node', ['--require', hook, WG_BIN, ...args], { cwd: p.root, env: p.env, reject: false });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return JSON.parse(readFileSync(loadedFile, 'utf8')) as string[];
  }

  /** The source files (repository paths) behind what `wg ARGS` loaded. */
  async function sourcesLoadedBy(args: string[]): Promise<string[]> {
    return sourcesOf(await filesLoadedBy(args));
  }

  /** The source files (repository paths) behind loaded `files`: a chunk's own sources, or the file itself. */
  function sourcesOf(files: string[]): string[] {
    return files.flatMap((file) => {
      if (!file.endsWith('.cjs') || !file.includes(join('out', 'cli'))) return [file.slice(REPO.length + 1)];
      // rolldown's own helpers: no source of ours, and so no map.
      if (/[\\/]rolldown-runtime-[\w-]+\.cjs$/.test(file)) return [];
      const map = JSON.parse(readFileSync(`${file}.map`, 'utf8')) as { sources: string[] };
      return map.sources.map((source) => source.replace(/^(\.\.\/)+/, ''));
    });
  }

  /** What none of these commands needs: the code of other commands' domains, the coordinator's, a team's, the network's. */
  const unrelated = [
    // Other domains' operations (handlers.ts loads a domain's module when one of its operations runs).
    /^src\/core\/ops\/(?!task-handlers)[a-z-]+-handlers\.ts$/,
    // The model registry: read only by the commands that set a task's model (add, edit).
    /^src\/core\/config\/models\.ts$/,
    /^src\/core\/ops\/model-reach\.ts$/,
    /^src\/core\/(coordinator|service|agentd|executors\/spawn)\//,
    // The agent daemon's own code (its word splitter, words.ts, is the command line's too: shell-words.ts).
    /^src\/agentd\/(?!words\.ts$)/,
    /^node_modules\/(pg|pg-pool|pg-protocol|ws|eventsource|yaml|execa|electron-log)\//,
    // The commands that are not the op registry's (program.ts's COMMAND_MODULES): each loaded only for its own word.
    /^src\/cli\/(init-command|db-check-command|service-commands|agentd-commands|msg-hook-command|codex-run-command|loop-commands|chat-command|which-command)\.ts$/,
  ];

  for (const args of [['show', 'b'], ['list'], ['list', '--json'], ['log', 'b', 'a note'], ['done', 'c']]) {
    it(`wg ${args.join(' ')} loads its own operation and nothing of unrelated commands`, async () => {
      const sources = await sourcesLoadedBy(args);
      // The premise: the chunks were read through their maps, and the command's own code is among them.
      expect(sources).toContain('src/core/ops/task-handlers.ts');
      expect(sources.some((source) => source.startsWith('node_modules/better-sqlite3/'))).toBe(true);
      expect(sources.filter((source) => unrelated.some((pattern) => pattern.test(source)))).toEqual([]);
    });
  }

  // The PostgreSQL driver touches Node's fetch as it loads, which loads undici: about 20 ms of CPU on Node 20 that
  // `wg service status` (109 → 85 ms), `wg viz` (95 → 70) and `wg export` (94 → 63) paid on an SQLite project.
  for (const args of [['service', 'status'], ['viz'], ['export']]) {
    it(`wg ${args.join(' ')} on an SQLite project loads no PostgreSQL driver`, async () => {
      const sources = await sourcesLoadedBy(args);
      expect(sources.some((source) => source.startsWith('node_modules/better-sqlite3/'))).toBe(true);
      expect(sources.filter((source) => PG_DRIVER.test(source))).toEqual([]);
    });
  }

  // A coordinator of a project in SQLite built its team parts' checks on the driver's class (`instanceof PgConnection`)
  // and loaded it with them: about 16 ms of CPU at every start (4 profiles of `wg service start --foreground`).
  it('a coordinator of an SQLite project loads no PostgreSQL driver', async () => {
    const coordinator = execa('node', ['--require', hook, WG_BIN, 'service', 'start', '--foreground'], {
      cwd: p.root,
      env: p.env,
      reject: false,
      timeout: 60_000,
    });
    await until('the coordinator to answer', async () => (await p.json<ServiceStatus>(['service', 'status'])).running);
    await p.ok(['service', 'stop']);
    expect((await coordinator).exitCode).toBe(0);
    const sources = await sourcesOf(JSON.parse(readFileSync(loadedFile, 'utf8')) as string[]);
    // The premise: the coordinator's own code was loaded and read through its chunks' maps.
    expect(sources).toContain('src/core/coordinator/engine.ts');
    expect(sources.filter((source) => PG_DRIVER.test(source))).toEqual([]);
  });

  // Each module loaded from node_modules is found, read and compiled at every start, outside the kept compiled code
  // (src/cli/code-cache.ts): better-sqlite3's 13 files cost 7.6 ms of CPU a start, 1.6 ms bundled (scripts/build-cli.mjs).
  it('loads nothing from node_modules but the SQLite native file: its JavaScript is in the bundle', async () => {
    const fromPackages = (await filesLoadedBy(['show', 'b'])).filter((file) => file.includes(`${sep}node_modules${sep}`));
    expect(fromPackages.map((file) => file.slice(REPO.length + 1))).toEqual([
      ['node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'].join(sep),
    ]);
  });
});
