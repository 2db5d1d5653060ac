import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import type { ServiceStatus } from '../../src/shared/service-types';
import { TempProject } from '../helpers/wg-cli';

/*
 * A team's database stops under a running coordinator (a server of its own, stopped on purpose): `wg service status`
 * on the coordinator's machine still answers, says the coordinator runs, and why the store cannot be read, which is
 * what a person asks it for then (it failed with the database's line). A person's `wg` over the network is told the
 * coordinator cannot use its database, not the database's address on the coordinator's machine. With no coordinator
 * running, `wg service status` says so and why the team is not known (it failed with the database's line alone).
 */

let server: PgServer;
const p = new TempProject('wg-pg-down-');

beforeAll(() => {
  server = startPostgresServer();
});
afterAll(async () => {
  await p.wg(['service', 'stop', '--force']);
  p.remove();
  server.ctl(['stop', '-m', 'immediate']);
});

describe("a running coordinator whose team's database went down", () => {
  it('still says in wg service status that it runs, and that the store cannot be read now', async () => {
    await p.ok(['init', '--store', server.url({ schema: 'down' })]);
    await p.ok(['service', 'start']);
    const alice = (await p.ok(['token', 'create', 'alice', '--person'])).split('\n')[1] ?? '';
    const base = ((await p.json<{ url: string }>(['service', 'status'])).url ?? '').replace(/\/#token=.*$/, '');
    server.ctl(['stop', '-m', 'fast']);
    const status = await p.wg(['service', 'status']);
    expect(status.exitCode).toBe(0);
    const lines = status.stdout.split('\n');
    expect(lines[0]).toMatch(/^coordinator running \(pid \d+\)/);
    expect(lines).toContainEqual(expect.stringMatching(/^agents: not known, the store cannot be read now: .*PostgreSQL server/));

    const person = await p.wg(['list'], { env: { WG_SERVER: base, WG_TOKEN: alice, WG_DIR: '' }, cwd: '/' });
    expect(person).toMatchObject({ exitCode: 1, stdout: '' });
    expect(person.stderr).toBe("wg: the coordinator cannot use its database now; 'wg service status' on its machine says why");
  }, 120_000);

  it('says in wg service status that no coordinator runs here, and that the team is not known while the store cannot be read', async () => {
    await p.ok(['service', 'stop', '--force']);
    const status = await p.wg(['service', 'status']);
    expect(status).toMatchObject({ exitCode: 0, stderr: '' });
    const lines = status.stdout.split('\n');
    expect(lines[0]).toBe('coordinator is not running');
    expect(lines[1]).toMatch(/^agents: not known, the store cannot be read now: cannot reach the PostgreSQL server of .* is it running\?$/);
    // A team's settings are in its store too: said once, with what it means.
    expect(lines[2]).toBe('settings: cannot be read either (they are in the store), so the coordinator cannot start');
    const json = await p.json<ServiceStatus>(['service', 'status']);
    expect(json).toMatchObject({ running: false, store_problem: expect.stringMatching(/^cannot reach the PostgreSQL server/) });
  }, 120_000);
});
