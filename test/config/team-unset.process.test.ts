import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { closeTeamConfigConnections } from '../../src/core/config/project-config';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { TempProject } from '../helpers/wg-cli';

/*
 * `wg config --unset KEY` on a team's graph (PostgreSQL): a team setting unset in one folder is gone from the store,
 * so every folder of the team is back to the default; a machine setting unset goes from that folder's config.toml only.
 */

let server: PgServer;
let a: TempProject;
let b: TempProject;
const SCHEMA = 'teamunset';
const sql = (text: string) => server.psql(`SET search_path = ${SCHEMA}; ${text}`).trim();
const entry = async (p: TempProject, key: string) => (await p.json<ConfigEntry[]>(['config', '--show'])).find((e) => e.key === key);

beforeAll(async () => {
  server = startPostgresServer();
  a = new TempProject('wg-teamunset-a-');
  b = new TempProject('wg-teamunset-b-');
  for (const p of [a, b]) {
    const made = await p.wg(['init', '--store', server.url({ schema: SCHEMA })]);
    expect(made.exitCode, made.stderr).toBe(0);
  }
}, 120_000);

afterAll(async () => {
  for (const p of [a, b]) p?.remove();
  await closeTeamConfigConnections();
  server?.stop();
});

describe("unsetting a team's setting on PostgreSQL", () => {
  it('takes a team setting out of the store for every folder, and a machine setting out of one folder', async () => {
    await a.ok(['config', '--max-retries', '7', '--max-agents', '2']);
    expect(sql("SELECT value FROM team_settings WHERE key = 'agent.max_retries'")).toBe('7');
    expect(await entry(b, 'agent.max_retries')).toMatchObject({ value: 7, source: 'team' });
    await a.ok(['config', '--unset', 'agent.max_retries,coordinator.max_agents']);
    expect(sql("SELECT count(*) FROM team_settings WHERE key = 'agent.max_retries'")).toBe('0');
    expect(await entry(b, 'agent.max_retries')).toMatchObject({ source: 'default' });
    expect(await entry(a, 'coordinator.max_agents')).toMatchObject({ value: 4, source: 'default' });
  });
});
