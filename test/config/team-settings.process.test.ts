import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { closeTeamConfigConnections } from '../../src/core/config/project-config';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * Two folders on one team's graph (PostgreSQL): the team's settings (models, executors, run rules) live in the
 * store, so what one folder sets is what the other's `wg config` shows and its coordinator runs with; the
 * machine's (max_agents, ...) stay in each folder's config.toml.
 */

let server: PgServer;
let a: TempProject;
let b: TempProject;
const SCHEMA = 'teamcfg';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sql = (text: string) => server.psql(`SET search_path = ${SCHEMA}; ${text}`).trim();
const configOf = (p: TempProject) => join(p.root, '.workgraph', 'config.toml');

const entry = (entries: ConfigEntry[], key: string) => entries.find((e) => e.key === key);

beforeAll(async () => {
  server = startPostgresServer();
  a = new TempProject('wg-teamcfg-a-');
  b = new TempProject('wg-teamcfg-b-');
  // Folder A had its own settings before it moved onto the team's graph: its team settings are carried into the store once.
  mkdirSync(join(a.root, '.workgraph'), { recursive: true });
  writeFileSync(configOf(a), '[coordinator]\nmax_agents = 3\n\n[agent]\nmax_retries = 7\n');
  for (const p of [a, b]) {
    const made = await p.wg(['init', '--store', server.url({ schema: SCHEMA })]);
    expect(made.exitCode, made.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  for (const p of [a, b]) {
    await p?.wgProcess(['service', 'stop', '--kill-agents']);
    p?.remove();
  }
  await closeTeamConfigConnections();
  server?.stop();
}, 120_000);

describe("a team's settings on PostgreSQL", () => {
  it("carries a folder's team settings into the store at `wg init --store`, and leaves its machine settings in the folder", async () => {
    expect(sql("SELECT value FROM team_settings WHERE key = 'agent.max_retries'")).toBe('7');
    expect(sql("SELECT count(*) FROM team_settings WHERE key LIKE 'coordinator.%'")).toBe('0');
    const inB = await b.json<ConfigEntry[]>(['config', '--show']);
    expect(entry(inB, 'agent.max_retries')).toMatchObject({ value: 7, source: 'team' });
    expect(entry(inB, 'coordinator.max_agents')).toMatchObject({ value: 4, source: 'default' });
    expect(entry(await a.json<ConfigEntry[]>(['config', '--show']), 'coordinator.max_agents')).toMatchObject({ value: 3, source: 'local' });
  });

  it("keeps max_agents set in one folder that folder's own", async () => {
    await a.ok(['config', '--max-agents', '2']);
    expect(readFileSync(configOf(a), 'utf8')).toMatch(/max_agents = 2/);
    expect(sql("SELECT count(*) FROM team_settings WHERE key LIKE '%max_agents%'")).toBe('0');
    expect(entry(await b.json<ConfigEntry[]>(['config', '--show']), 'coordinator.max_agents')?.value).toBe(4);
    expect(entry(await a.json<ConfigEntry[]>(['config', '--show']), 'coordinator.max_agents')?.value).toBe(2);
  });

  it('refuses a bad value in one line and writes nothing, neither to the store nor to the file', async () => {
    const before = {
      rows: sql("SELECT string_agg(key || value, ',' ORDER BY key) FROM team_settings"),
      file: readFileSync(configOf(a), 'utf8'),
    };
    const rev = sql('SELECT rev FROM project');
    // A good team value beside a bad machine one: refused whole.
    const refused = await a.wg(['config', '--model', 'opus', '--max-agents', '0']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/max-agents must be at least 1/);
    for (const [args, says] of [
      [['--eval-threshold', '2'], /eval-threshold must be at most 1/],
      [['--executor', 'nowhere', '--max-agents', '5'], /nowhere/],
    ] as const) {
      const bad = await a.wg(['config', ...args]);
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stderr.trim().split('\n')).toHaveLength(1);
      expect(bad.stderr).toMatch(says);
    }
    expect(sql("SELECT string_agg(key || value, ',' ORDER BY key) FROM team_settings")).toBe(before.rows);
    expect(sql('SELECT rev FROM project')).toBe(rev);
    expect(readFileSync(configOf(a), 'utf8')).toBe(before.file);
  });

  it("is what another folder's `wg config --show` says and what its running coordinator runs with on its next turn", async () => {
    const started = await b.wgProcess(['service', 'start', '--json']);
    expect(started.exitCode, started.stderr).toBe(0);
    const ran = join(b.root, 'ran.txt');
    // Made and chosen in A, while B's coordinator runs: B's config.toml names neither.
    await a.ok(['executor', 'add', 'marker', '--type', 'cli', '--command', 'sh', '--args', `-c 'echo {task_id} >> ${ran}'`]);
    await a.ok(['config', '--executor', 'marker', '--model', 'sonnet']);
    expect(readFileSync(configOf(b), 'utf8')).not.toMatch(/marker|sonnet/);
    const shown = await b.json<ConfigEntry[]>(['config', '--show']);
    expect(entry(shown, 'coordinator.executor')?.value).toBe('marker');
    expect(entry(shown, 'coordinator.model')?.value).toBe('sonnet');
    expect((await b.ok(['config', '--show'])).match(/coordinator\.executor\s+marker\s+\(team\)/)).not.toBeNull();
    expect(await a.ok(['config', '--model', 'haiku'])).toBe('Set coordinator.model = haiku');
    await a.ok(['config', '--model', 'sonnet']);

    await a.ok(['add', 'Team job', '--id', 'team-job']);
    await until('the task run by the team executor', () => sql("SELECT executor FROM agents WHERE task_id = 'team-job'") === 'marker');
    await until('its command run', () => {
      try {
        return readFileSync(ran, 'utf8') === 'team-job\n';
      } catch {
        return false;
      }
    });
    expect(sql("SELECT model FROM agents WHERE task_id = 'team-job'")).toBe('sonnet');
  }, 90_000);
});

describe('`wg store copy --to URL --switch` of a project with settings of its own', () => {
  it('carries its team settings into the store; its machine settings stay in its config.toml', async () => {
    const c = new TempProject('wg-teamcfg-c-');
    try {
      await c.ok(['init']);
      await c.ok(['config', '--model', 'opus', '--max-agents', '6', '--auto-evaluate', 'true']);
      const url = server.url({ schema: 'teamcopy' });
      await c.ok(['store', 'copy', '--to', url, '--switch']);
      const rows = server
        .psql("SET search_path = teamcopy; SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM team_settings")
        .trim();
      expect(rows).toBe('agency={"auto_evaluate":true},coordinator.model="opus"');
      const shown = await c.json<ConfigEntry[]>(['config', '--show']);
      expect(entry(shown, 'coordinator.model')?.value).toBe('opus');
      expect(entry(shown, 'coordinator.max_agents')?.value).toBe(6);
    } finally {
      c.remove();
    }
  });
});

describe("`wg store copy --to FILE` of a team's graph", () => {
  it("writes the team's settings into the folder's config.toml, so a project that uses the copy runs by them", async () => {
    const copy = join(b.root, 'copy.db');
    const before = readFileSync(configOf(b), 'utf8');
    expect(before).not.toMatch(/marker|max_retries/);
    const copied = await b.ok(['store', 'copy', '--to', copy]);
    expect(copied).toMatch(/the team's \d+ settings are in this folder's config\.toml too/);
    // The folder leaves the team's graph for its copy: the same settings, now its own.
    const c = new TempProject('wg-teamcfg-back-');
    try {
      mkdirSync(join(c.root, '.workgraph'), { recursive: true });
      const kept = readFileSync(configOf(b), 'utf8').replace(/\[store\][^[]*/, '');
      writeFileSync(configOf(c), kept);
      copyFileSync(copy, join(c.root, '.workgraph/graph.db'));
      const shown = JSON.parse((await c.wg(['config', '--show', '--json'])).stdout) as ConfigEntry[];
      const teams = await b.json<ConfigEntry[]>(['config', '--show']);
      for (const key of ['coordinator.executor', 'coordinator.model', 'agent.max_retries']) {
        expect(entry(shown, key)).toMatchObject({ value: entry(teams, key)?.value, source: 'local' });
      }
      expect(entry(shown, 'coordinator.executor')?.value).toBe('marker');
      const profiles = await c.wg(['executor', 'list']);
      expect(profiles.stdout).toMatch(/marker/);
    } finally {
      c.remove();
    }
  });
});

describe('a `wg` command on a team graph', () => {
  it("opens one connection to the database: the team's settings are read on the store's own", async () => {
    const logged = startPostgresServer(['fsync=off', 'log_connections=on']);
    const p = new TempProject('wg-teamcfg-conn-');
    try {
      const made = await p.wg(['init', '--store', logged.url({ schema: 'conns' })]);
      expect(made.exitCode, made.stderr).toBe(0);
      const log = join(logged.socketDir, 'server.log');
      const connections = () => (readFileSync(log, 'utf8').match(/connection authorized/g) ?? []).length;
      await p.ok(['add', 'One', '--id', 'one']);
      const counted = connections();
      // A real process: it reads the settings (the retry budget it shows) as every `wg show` does.
      const shown = await p.wgProcess(['show', 'one']);
      expect(shown.exitCode, shown.stderr).toBe(0);
      await until('the server to log it', () => connections() > counted, 5_000);
      await sleep(300);
      expect(connections() - counted).toBe(1);
    } finally {
      p.remove();
      logged.stop();
    }
  }, 120_000);
});
