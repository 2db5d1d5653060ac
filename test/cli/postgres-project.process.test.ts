import { sqlText } from '../helpers/sql-text';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenForCommits } from '../../src/core/store/postgres/commit-listener';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import type { Task } from '../../src/shared/task';
import type { WatchEvent } from '../../src/shared/watch-events';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject, WG_BIN } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * A project whose graph lives in PostgreSQL (a real server, started for this file), driven through `wg`
 * as a person and the daemon drive it: the same commands and `--json` as on SQLite, the daemon running
 * shell tasks, another process's commit heard at once, the graph moved between the stores.
 */

let server: PgServer;
const projects: TempProject[] = [];
let schemas = 0;

beforeAll(() => {
  server = startPostgresServer();
});
afterAll(() => {
  for (const p of projects) p.remove();
  server.stop();
});

function project(): TempProject {
  const p = new TempProject('wg-pg-');
  projects.push(p);
  return p;
}

const freshUrl = () => server.url({ schema: `cli_${process.pid}_${++schemas}` });

/** Times and ids of this run (timestamps, an agent's run id) are not what differs between the stores. */
const normalized = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME');

/**
 * `wg watch ARGS` as a real process in `p`: its first `count` lines, `whileWaiting` run once the first
 * `ready` lines are in; then it is stopped. Its stderr comes back too (a failure ends it before `count`).
 */
async function watchLines(p: TempProject, args: string[], count: number, ready: number, whileWaiting: () => Promise<unknown>) {
  const watcher = execa('node', [WG_BIN, 'watch', ...args], { cwd: p.root, env: p.env, reject: false, timeout: 30_000 });
  const lines: string[] = [];
  let buffer = '';
  let started = false;
  await new Promise<void>((resolve) => {
    const maybeStart = () => {
      if (started || lines.length < ready) return;
      started = true;
      void whileWaiting();
    };
    watcher.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      lines.push(...parts);
      maybeStart();
      if (lines.length >= count) resolve();
    });
    maybeStart();
    void watcher.then(() => resolve());
  });
  watcher.kill('SIGTERM');
  const ended = await watcher;
  return { events: lines.slice(0, count).map((l) => JSON.parse(l) as WatchEvent), stderr: String(ended.stderr ?? '') };
}

describe('a project whose graph lives in PostgreSQL', () => {
  it('answers every command with the same output and --json as a project in SQLite', async () => {
    const sqlite = project();
    const team = project();
    const url = freshUrl();
    await sqlite.ok(['init']);
    const init = await team.ok(['init', '--store', url]);
    expect(init).toContain(`its graph is kept in ${url}`);
    expect(readFileSync(join(team.root, '.workgraph/config.toml'), 'utf8')).toContain(`url = "${url}"`);
    expect(existsSync(join(team.root, '.workgraph/graph.db'))).toBe(false);
    const script: string[][] = [
      ['add', 'Build it'],
      ['add', 'Test it', '--after', 'build-it', '--tag', 'qa'],
      ['add', 'Ship', '--after', 'test-it', '--priority', 'high'],
      ['list', '--json'],
      ['ready', '--json'],
      ['show', 'test-it', '--json'],
      ['done', 'build-it'],
      ['log', 'test-it', 'halfway'],
      ['ready', '--json'],
      ['show', 'test-it', '--json'],
      ['list'],
      ['viz'],
      ['check', '--json'],
      ['export'],
    ];
    for (const args of script) {
      const [a, b] = await Promise.all([sqlite.wg(args), team.wg(args)]);
      expect(b.exitCode, args.join(' ')).toBe(a.exitCode);
      expect(normalized(b.stdout), args.join(' ')).toBe(normalized(a.stdout));
      expect(b.stderr, args.join(' ')).toBe(a.stderr);
    }
    // A refusal reads the same too.
    const [a, b] = await Promise.all([sqlite.wg(['done', 'ship']), team.wg(['done', 'ship'])]);
    expect(a.exitCode).not.toBe(0);
    expect([b.exitCode, b.stderr]).toEqual([a.exitCode, a.stderr]);
  });

  it('is joined by a second folder naming the same store, which sees the same graph', async () => {
    const first = project();
    const second = project();
    const url = freshUrl();
    await first.ok(['init', '--store', url]);
    await first.ok(['add', 'Shared work']);
    expect(await second.ok(['init', '--store', url])).toContain('(1 task there already)');
    await second.ok(['done', 'shared-work']);
    expect((await first.json<Task>(['show', 'shared-work'])).status).toBe('done');
    // There is no graph.db to check: one line says where the graph is.
    const check = await first.wg(['check', '--db']);
    expect([check.exitCode, check.stderr.trim()]).toEqual([
      1,
      `wg: this project's graph is kept in ${url}, not in graph.db: its server checks its own pages ('wg check' checks the graph)`,
    ]);
  });

  it('opens only a schema that holds a project, and WG_STORE_URL only as a URL: one line, and nothing is made', async () => {
    const p = project();
    const url = freshUrl();
    await p.ok(['init', '--store', url]);
    await p.ok(['add', 'Design schema']);
    // A mistyped schema made a new, empty project before, and the next `wg add` went there.
    const typo = url.replace(/schema=([^&]*)/, 'schema=$1_typo');
    const typoSchema = parseStoreUrl(typo).schema;
    for (const args of [['list'], ['add', 'Urgent fix']]) {
      const result = await p.wg(args, { env: { WG_STORE_URL: typo } });
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr.trim(), args.join(' ')).toBe(
        `wg: no workgraph project in schema '${typoSchema}' of that database; check its name (wg init --store URL makes one)`,
      );
    }
    const probe = await Store.open(url);
    try {
      const found = await sqlText<{ n: number }>(
        probe.core,
        'SELECT CAST(count(*) AS integer) AS n FROM pg_namespace WHERE nspname = ?',
      ).get(typoSchema);
      expect(found?.n).toBe(0);
    } finally {
      await probe.close();
    }
    // A file's path was passed over without a word, and the commands went on in the folder's own graph.db.
    const file = await p.wg(['add', 'Into the copy'], { env: { WG_STORE_URL: join(p.root, 'copy.db') } });
    expect(file.exitCode).not.toBe(0);
    expect(file.stderr.trim()).toBe(
      "wg: WG_STORE_URL must be a PostgreSQL URL (postgresql://…); an SQLite copy is used as a project folder's .workgraph/graph.db",
    );
    expect(existsSync(join(p.root, 'copy.db'))).toBe(false);
    expect(existsSync(join(p.root, '.workgraph/graph.db'))).toBe(false);
    expect((await p.json<Task[]>(['list'])).map((task) => task.id)).toEqual(['design-schema']);
  });

  it('says in one line what is wrong with a URL, a server or a login, and makes nothing', async () => {
    const p = project();
    const cases: Array<[string, RegExp]> = [
      ['mysql://localhost/wg', /is not a PostgreSQL URL/],
      [`postgresql://postgres:secret@localhost/postgres?host=${encodeURIComponent(server.socketDir)}`, /holds a password/],
      ['postgresql://postgres@localhost/postgres?host=%2Fnowhere%2Fat%2Fall', /cannot reach the PostgreSQL server .*; is it running\?/],
      [`postgresql://nobody@localhost/postgres?host=${encodeURIComponent(server.socketDir)}`, /refused the login/],
      [`postgresql://postgres@localhost/missing?host=${encodeURIComponent(server.socketDir)}`, /does not exist on its server/],
      [`${freshUrl().replace(/schema=[^&]*/, 'schema=Bad-Name')}`, /is not a plain name/],
      [`postgresql://postgres@/postgres?host=${server.socketDir}&password=secret`, /holds a password/],
      ['postgresql://u@127.0.0.1:1/db', /cannot reach the PostgreSQL server .*; is it running\?/],
      ['postgresql://[broken', /is not a URL libpq would read/],
    ];
    for (const [url, said] of cases) {
      const result = await p.wg(['init', '--store', url]);
      expect(result.exitCode, url).toBe(1);
      expect(result.stderr.trim().split('\n'), url).toHaveLength(1);
      expect(result.stderr, url).toMatch(said);
      expect(result.stderr, url).not.toContain('secret');
      // Not even the folders: a later `wg list` must not find a half-made project and start an SQLite graph in it.
      expect(existsSync(join(p.root, '.workgraph')), url).toBe(false);
    }
    expect((await p.wg(['list'])).stderr).toMatch(/no \.wg\/ or \.workgraph\/ here/);
  });

  it("takes every URL form libpq reads: a unix socket's folder as host=, unencoded, with no host before the path", async () => {
    const p = project();
    const schema = `cli_${process.pid}_${++schemas}`;
    const url = `postgresql://postgres@/postgres?host=${server.socketDir}&schema=${schema}`;
    expect(await p.ok(['init', '--store', url])).toContain(`its graph is kept in ${url}`);
    await p.ok(['add', 'Over the socket']);
    expect((await p.json<Task>(['show', 'over-the-socket'])).status).toBe('open');
    expect(server.psql(`SELECT title FROM ${schema}.tasks`)).toBe('Over the socket\n');
  });

  it('wg watch --replay tells the same history as on SQLite, then hears a commit from another process with no daemon running', async () => {
    const sqlite = project();
    const team = project();
    await sqlite.ok(['init']);
    await team.ok(['init', '--store', freshUrl()]);
    const script: string[][] = [
      ['add', 'Design'],
      ['add', 'Build', '--after', 'design'],
      ['add', 'Probe'],
      ['done', 'design'],
      ['fail', 'build', '--reason', 'broke'],
      ['retry', 'build'],
      ['fail', 'probe', '--reason', 'no access'],
      ['evaluate', 'record', 'design', '--score', '0.9'],
    ];
    for (const args of script) await Promise.all([sqlite.ok(args), team.ok(args)]);
    const replayed = 7;
    const watched = await Promise.all(
      [sqlite, team].map((p) => watchLines(p, ['--replay', '20'], replayed + 1, replayed, () => p.ok(['add', 'Live', '--id', 'live']))),
    );
    const [a, b] = watched.map(({ events }) => events.map((e) => ({ ...e, timestamp: 'TIME' })));
    expect(b).toEqual(a);
    expect(b?.map((e) => [e.type, e.task_id])).toEqual([
      ['task.created', 'design'],
      ['task.created', 'build'],
      ['task.created', 'probe'],
      ['task.completed', 'design'],
      ['task.retried', 'build'],
      ['task.failed', 'probe'],
      ['evaluation.recorded', 'design'],
      ['task.created', 'live'],
    ]);
    expect(b?.[5]?.data).toEqual({ reason: 'no access' });
    expect(b?.[6]?.data).toEqual({ score: 0.9, evaluator: 'user', source: 'manual' });
    for (const { stderr } of watched) expect(stderr).toBe('');
  }, 120_000);

  it('runs shell tasks in dependency order under the daemon, a commit from another folder starting the next at once', async () => {
    const p = project();
    const other = project();
    const url = freshUrl();
    await p.ok(['init', '--store', url]);
    await other.ok(['init', '--store', url]);
    writeFileSync(
      join(p.root, '.workgraph/config.toml'),
      `${readFileSync(join(p.root, '.workgraph/config.toml'), 'utf8')}\n[coordinator]\nexecutor = "shell"\n`,
    );
    const out = join(p.root, 'order.txt');
    await p.ok(['add', 'Gate', '--executor', 'manual']);
    await p.ok(['add', 'One', '--after', 'gate', '--exec', `echo one >> ${out}`]);
    await p.ok(['add', 'Two', '--after', 'one', '--exec', `echo two >> ${out}`]);
    await p.ok(['service', 'start']);
    try {
      // The other folder has no coordinator to poke: only the database's announcement reaches this one.
      await other.ok(['done', 'gate']);
      await until('both tasks done', async () => (await p.json<Task>(['show', 'two'])).status === 'done');
      expect(readFileSync(out, 'utf8')).toBe('one\ntwo\n');
      // The other folder runs no coordinator: its status names the one that coordinates the team's graph.
      const elsewhere = JSON.parse(await other.ok(['service', 'status', '--json'])) as {
        running: boolean;
        lease?: { role: string; coordinators: Array<{ role: string }> };
      };
      expect(elsewhere.running).toBe(false);
      expect(elsewhere.lease?.role).toBe('not running');
      expect(elsewhere.lease?.coordinators.map((c) => c.role)).toContain('active');
      const agents = JSON.parse((await p.ok(['agents', '--json'])) || '[]') as Array<{ task_id: string; state: string }>;
      expect(agents.map((a) => [a.task_id, a.state]).sort()).toEqual([
        ['one', 'done'],
        ['two', 'done'],
      ]);
    } finally {
      await p.wg(['service', 'stop']);
    }
  }, 120_000);

  it("keeps the graph writable when the team's cap is reached by ready tasks nothing starts (manual ones)", async () => {
    // A turn that found only manual tasks within the cap's room looked further, read the same rows again (the cap
    // kept the read short) and looked again, for good, inside the project's write turn: every later write timed out.
    const p = project();
    await p.ok(['init', '--store', freshUrl()]);
    await p.ok(['config', '--executor', 'manual']);
    for (const title of ['Task a', 'Task b', 'Task c']) await p.ok(['add', title]);
    await p.ok(['config', '--team-max-agents', '1']);
    await p.ok(['service', 'start']);
    try {
      const added = await p.wg(['add', 'Task d']);
      expect(added).toMatchObject({ exitCode: 0, stderr: '' });
      expect((await p.ok(['service', 'status'])).split('\n')[0]).toMatch(/running/);
    } finally {
      await p.wg(['service', 'stop', '--kill-agents']);
    }
  }, 120_000);

  it("lets another process hear a commit as it happens, with the project's revision", async () => {
    const p = project();
    const url = freshUrl();
    await p.ok(['init', '--store', url]);
    const heard: Array<number | null> = [];
    const listener = listenForCommits(
      parseStoreUrl(url),
      (rev) => heard.push(rev),
      () => undefined,
    );
    try {
      // Listening: the first thing heard is the catch-up after connecting.
      await until('the listener to connect', () => heard.includes(null));
      await p.ok(['add', 'Heard']);
      const store = await Store.open(url);
      const rev = await store.core.currentRev();
      await store.close();
      await until('the commit to be heard', () => heard.includes(rev));
    } finally {
      listener.stop();
    }
  });

  it('catches up on what it missed while the server was away, by the revision', async () => {
    const p = project();
    const url = freshUrl();
    await p.ok(['init', '--store', url]);
    const heard: Array<number | null> = [];
    const warnings: string[] = [];
    const listener = listenForCommits(
      parseStoreUrl(url),
      (rev) => heard.push(rev),
      (message) => warnings.push(message),
    );
    try {
      await until('the listener to connect', () => heard.includes(null));
      heard.length = 0;
      server.restart();
      await until('the listener to notice and reconnect', () => heard.includes(null));
      expect(warnings.some((w) => w.includes("not hearing other processes' commits"))).toBe(true);
      await p.ok(['add', 'After the restart']);
      await until('the commit after the restart to be heard', () => heard.some((rev) => rev !== null));
    } finally {
      listener.stop();
    }
  }, 120_000);

  it('goes on after the server restarts: at most the first statement after it fails, in one line, and nothing is lost', async () => {
    const p = project();
    const url = freshUrl();
    await p.ok(['init', '--store', url]);
    const store = await Store.open(url);
    try {
      await store.tasks.add({ title: 'Before' }, 'test');
      server.restart();
      const attempts: string[] = [];
      for (let attempt = 0; attempt < 2 && attempts.length === attempt; attempt++) {
        try {
          await store.tasks.add({ title: 'After' }, 'test');
        } catch (error) {
          attempts.push((error as Error).message);
        }
      }
      expect(attempts.length).toBeLessThan(2);
      for (const message of attempts) expect(message).toMatch(/^lost the connection to the PostgreSQL server of .*; try again$/);
      expect((await store.list()).map((t) => t.id)).toEqual(['before', 'after']);
    } finally {
      await store.close();
    }
  }, 120_000);

  it('moves a project between the stores: export and import, and a whole copy with its logs, agents, evaluations, agency and messages', async () => {
    const sqlite = project();
    await sqlite.ok(['init']);
    await sqlite.ok(['agency', 'init']);
    await sqlite.ok(['config', '--executor', 'shell']);
    await sqlite.ok(['add', 'Design', '--exec', 'true']);
    await sqlite.ok(['add', 'Build', '--after', 'design', '--executor', 'manual']);
    await sqlite.ok(['log', 'design', 'sketched']);
    await sqlite.ok(['msg', 'send', 'build', 'mind the API']);
    // One agent run, by the daemon.
    await sqlite.ok(['service', 'start']);
    try {
      await until('the run to finish', async () => (await sqlite.json<Task>(['show', 'design'])).status === 'done');
      // Not while its coordinator runs: it keeps the store it opened, and what went through it after a switch was lost.
      const busy = await sqlite.wg(['store', 'copy', '--to', freshUrl(), '--switch']);
      expect(busy.exitCode).not.toBe(0);
      expect(busy.stderr.trim()).toMatch(
        /^wg: a coordinator runs in this project \(pid \d+\); stop it \(wg service stop\), switch, then start it again$/,
      );
      expect(readFileSync(join(sqlite.root, '.workgraph/config.toml'), 'utf8')).not.toContain('[store]');
    } finally {
      await sqlite.wg(['service', 'stop']);
    }
    await sqlite.ok(['evaluate', 'record', 'design', '--score', '0.9']);
    const before = await sqlite.ok(['export']);
    const runs = await sqlite.ok(['agents']);

    // JSONL: what wg export writes, wg import reads into a team's graph.
    const imported = project();
    await imported.ok(['init', '--store', freshUrl()]);
    writeFileSync(join(imported.root, 'graph.jsonl'), before);
    await imported.ok(['import', join(imported.root, 'graph.jsonl')]);
    expect(normalized(await imported.ok(['export']))).toBe(normalized(before));

    // Whole: every table, then the project keeps its graph there.
    const url = freshUrl();
    const copied = await sqlite.ok(['store', 'copy', '--to', url, '--switch']);
    expect(copied).toMatch(/copied 2 tasks, \d+ log entries, 1 agent runs, 1 evaluations, 1 messages and \d+ agency entries/);
    expect(readFileSync(join(sqlite.root, '.workgraph/config.toml'), 'utf8')).toContain(url);
    expect(await sqlite.ok(['export'])).toBe(before);
    expect(await sqlite.ok(['msg', 'list', 'build'])).toContain('mind the API');
    expect(await sqlite.ok(['evaluate', 'show', 'design'])).toContain('0.9');
    expect(await sqlite.ok(['agents'])).toBe(runs);
    expect(await sqlite.ok(['agent', 'list'])).toContain('Careful Programmer');
    // Numbering goes on where it stopped: a new log entry and task after the copied ones.
    await sqlite.ok(['log', 'build', 'after the move']);
    expect((await sqlite.json<Task>(['show', 'build'])).log.at(-1)?.message).toBe('after the move');

    // And back: the team's graph into an SQLite file, the same again.
    const file = join(sqlite.root, 'back.db');
    await sqlite.ok(['store', 'copy', '--to', file]);
    const back = await Store.open(file);
    try {
      expect((await back.exportJsonl()).trimEnd()).toBe((await sqlite.ok(['export'])).trimEnd());
    } finally {
      await back.close();
    }
    // A copy refuses a store that already holds a graph, and changes nothing.
    const again = await sqlite.wg(['store', 'copy', '--to', url]);
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toMatch(/already holds a graph/);
  }, 120_000);
});
