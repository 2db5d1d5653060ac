// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/postgres-server';
import { coordinatorIdOf, coordinatorPidOf, removeTeamFolders, startCoordinator, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { until } from '../helpers/until';

/*
 * How soon a dead coordinator's work is another's, on a team's graph with a real PostgreSQL server: two coordinators,
 * each running one long task; one is killed (kill -9) just after a renewal of its lease. The other declares it lost
 * the moment the lease's end and the grace have passed, by the database's clock, and takes its run over in the turn
 * that follows: within the lease, the grace and a small margin of the kill. The victim is the one whose end of grace
 * falls a second or more before the survivor's next renewal, so a survivor that swept only at its renewals would be
 * that much late.
 */

/** A lease's length and the grace after its end before its coordinator is declared lost (coordinator-lease.ts). */
const LEASE_MS = 5_000;
const GRACE_MS = 15_000;
const RENEW_EVERY_MS = 2_000;
/** The takeover's turn, and the test's look at the database every few ms. */
const MARGIN_MS = 800;

const { url, schema, psql } = freshSchema('takeover');
const sql = (text: string) => psql(`SET search_path = ${schema}; ${text}`).trim();
let folders: TempProject[] = [];
const renewedAt = (id: string) => Number(sql(`SELECT renewed_at FROM coordinators WHERE id = '${id}'`));

beforeAll(async () => {
  folders = await teamFolders(url, 'wg-takeover-', ['-x', 'shell']);
  // One run each: both coordinators have one to lose.
  for (const p of folders) await p.ok(['config', '--max-agents', '1']);
}, 120_000);

afterAll(async () => {
  await removeTeamFolders(folders);
}, 120_000);

describe("a dead coordinator's runs", () => {
  it('are taken over within its lease, the grace and a small margin of its kill -9', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    for (const p of folders) await startCoordinator(p);
    await a.ok(['add', 'Long one', '--id', 'long-1', '--exec', 'sleep 120']);
    await a.ok(['add', 'Long two', '--id', 'long-2', '--exec', 'sleep 120']);
    await until(
      'each coordinator running one',
      () => sql("SELECT count(DISTINCT coordinator_id) FROM agents WHERE state = 'working' AND pid IS NOT NULL") === '2',
      30_000,
    );

    // Each one's renewals, by the database's clock: the victim is the one whose grace would end furthest before one
    // of the survivor's renewals.
    const ids = [coordinatorIdOf(a), coordinatorIdOf(b)];
    const seen = new Map<string, number>();
    const first = new Map(ids.map((id) => [id, renewedAt(id)]));
    await until('a renewal of each', () => ids.every((id) => renewedAt(id) !== first.get(id)), 10_000, 20);
    for (const id of ids) seen.set(id, renewedAt(id));
    const lateness = (victim: string, survivor: string) =>
      ((((seen.get(survivor) as number) - (seen.get(victim) as number) - LEASE_MS - GRACE_MS) % RENEW_EVERY_MS) + RENEW_EVERY_MS) %
      RENEW_EVERY_MS;
    const [victim, survivor] =
      lateness(ids[0] as string, ids[1] as string) >= lateness(ids[1] as string, ids[0] as string) ? [a, b] : [b, a];
    const victimId = coordinatorIdOf(victim);
    const survivorId = coordinatorIdOf(survivor);
    console.info(`a survivor sweeping only at its renewals would be ${lateness(victimId, survivorId)} ms late`);
    const task = sql(`SELECT task_id FROM agents WHERE state = 'working' AND coordinator_id = '${victimId}'`);

    // Killed just after a renewal: its lease runs a whole lease from then.
    const last = renewedAt(victimId);
    await until('a renewal of the victim', () => renewedAt(victimId) !== last, 10_000, 10);
    const since = Date.now();
    process.kill(coordinatorPidOf(victim), 'SIGKILL');

    await until(
      'its run taken over',
      () => sql(`SELECT coordinator_id FROM agents WHERE state = 'working' AND task_id = '${task}'`) === survivorId,
      LEASE_MS + GRACE_MS + 10_000,
      20,
    );
    const took = Date.now() - since;
    console.info(`its run was the survivor's ${took} ms after the kill`);
    expect(sql(`SELECT role FROM coordinators WHERE id = '${victimId}'`)).toBe('lost');
    // Adopted, not started again: the one run of the task, still working.
    expect(sql(`SELECT count(*) FROM agents WHERE task_id = '${task}'`)).toBe('1');
    expect(took).toBeLessThan(LEASE_MS + GRACE_MS + MARGIN_MS);
  }, 120_000);
});
