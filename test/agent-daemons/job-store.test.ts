import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { TokenStore } from '../../src/core/store/token-store';
import { newRun } from '../../src/core/store/agent-records';
import { transition } from '../../src/core/store/task-writes';
import { statementsDuring } from '../helpers/statements';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A store with task `id` claimed by `agentId` for an agent daemon, as the dispatcher's claim leaves it. */
  async function claimedRemotely(id: string, agentId: string) {
    const t = await newStore();
    const { store } = t;
    await store.tasks.add({ title: id, id, executor: 'remote' }, 'test');
    await store.core.write(async (rev) => {
      await store.agents.insert(
        newRun(
          agentId,
          { task_id: id, executor: 'remote', model: null, model_source: null, runs_elsewhere: true, output_path: null },
          store.core.nowIso(),
          rev,
        ),
        null,
      );
      await transition(store.core, { id, status: 'open', assigned: null }, { status: 'in-progress', assigned: agentId }, rev);
    });
    return store;
  }

  /** The daemon job of that claim ('agent-1' on 'far' at host 'box'), with a lease of `leaseMs`, as the dispatcher writes it. */
  const insertJob = (store: Awaited<ReturnType<typeof claimedRemotely>>, jobs: JobStore, leaseMs: number) =>
    store.core.write(() =>
      jobs.insert({ agent_id: 'agent-1', task_id: 'far', token_name: 'box', daemon_host: 'box', repo: 'r', role: null, lease_ms: leaseMs }),
    );

  const jobRead = (text: string) => text.includes('daemon_jobs');

  describe('the remote jobs an orphan look finds', () => {
    it('costs no statement after a look found no active job, until a job is inserted; then it finds the orphans again', async () => {
      const store = await claimedRemotely('far', 'agent-1');
      const jobs = new JobStore(store.core);
      expect((await statementsDuring(store.core, async () => expect(await jobs.orphaned()).toEqual([]))).filter(jobRead)).toHaveLength(1);
      // The dispatcher looks after every commit: with no job anywhere, that is free now.
      expect((await statementsDuring(store.core, async () => expect(await jobs.orphaned()).toEqual([]))).filter(jobRead)).toEqual([]);

      const lease = await insertJob(store, jobs, 60_000);
      // Held by its working agent: active, not orphaned; and looked at again after every commit.
      expect(await jobs.orphaned()).toEqual([]);
      expect((await statementsDuring(store.core, () => jobs.orphaned())).filter(jobRead)).toHaveLength(1);

      // The run ended on this side (killed): the job is an orphan, reported with its columns only.
      await store.core.write((rev) => sqlText(store.core, "UPDATE agents SET state = 'failed', rev = ? WHERE id = 'agent-1'").run(rev));
      const [orphan] = await jobs.orphaned();
      expect(orphan).toMatchObject({ lease_id: lease, agent_id: 'agent-1', task_id: 'far', state: 'assigned' });
      expect(orphan).not.toHaveProperty('orphan');

      // Ended: none active again, and the looks stop costing.
      await store.core.write(() => jobs.end(lease, 'cancelled', 'the run ended on the coordinator'));
      expect(await jobs.orphaned()).toEqual([]);
      expect((await statementsDuring(store.core, () => jobs.orphaned())).filter(jobRead)).toEqual([]);
    });

    it('does not trust a look made inside a transaction (it may be rolled back)', async () => {
      const store = await claimedRemotely('far', 'agent-1');
      const jobs = new JobStore(store.core);
      const lease = await insertJob(store, jobs, 60_000);
      await expect(() =>
        store.core.write(async () => {
          await jobs.end(lease, 'cancelled', 'ended');
          expect(await jobs.orphaned()).toEqual([]);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await store.core.write((rev) => sqlText(store.core, "UPDATE agents SET state = 'failed', rev = ? WHERE id = 'agent-1'").run(rev));
      expect((await jobs.orphaned()).map((job) => job.lease_id)).toEqual([lease]);
    });
  });

  describe("a job's lease as stored", () => {
    const TEN_MINUTES = 10 * 60_000;

    /** A job whose lease of `leaseMs` is written while this process's clock is `skewMs` off (another machine's). */
    async function writtenSkewed(skewMs: number, leaseMs: number) {
      const store = await claimedRemotely('far', 'agent-1');
      const jobs = new JobStore(store.core);
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + skewMs);
      const lease = await insertJob(store, jobs, leaseMs);
      return { store, jobs, lease };
    }

    it.each([
      ['behind', -TEN_MINUTES],
      ['ahead', TEN_MINUTES],
    ])("is judged by the store's clock when the writing machine's clock is ten minutes %s", async (_, skew) => {
      const { jobs, lease } = await writtenSkewed(skew, 60_000);
      // Read by a coordinator whose clock is right (the one that takes the job over).
      vi.useRealTimers();
      const left = (await jobs.storedRemainingMs(lease)) as number;
      expect(left).toBeGreaterThan(30_000);
      expect(left).toBeLessThanOrEqual(60_000);

      // A renewal written by the skewed machine moves it by the store's clock too.
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + skew);
      await jobs.extend([lease], 120_000);
      vi.useRealTimers();
      const renewed = (await jobs.storedRemainingMs(lease)) as number;
      expect(renewed).toBeGreaterThan(90_000);
      expect(renewed).toBeLessThanOrEqual(120_000);
    });

    it('says how long ago a lease ran out, and nothing for a time it cannot read or once its job ended', async () => {
      const { store, jobs, lease } = await writtenSkewed(0, -5_000);
      vi.useRealTimers();
      const left = (await jobs.storedRemainingMs(lease)) as number;
      expect(left).toBeLessThanOrEqual(-5_000);
      expect(left).toBeGreaterThan(-35_000);
      // A time no clock can read (a hand edit, say) is no lease to honour.
      await store.core.write(() => sqlText(store.core, "UPDATE daemon_jobs SET expires_at = 'soon' WHERE lease_id = ?").run(lease));
      expect(await jobs.storedRemainingMs(lease)).toBeNull();
      await jobs.end(lease, 'lost', 'gone');
      expect(await jobs.storedRemainingMs(lease)).toBeNull();
    });
  });
  // SQLite uses the partial index daemon_jobs_active only where the statement's text shows its condition's values (with
  // them as parameters, each look after a commit read every job the project ever sent). PostgreSQL's plan is its own.
  it.runIf(kind === 'sqlite')('reads the active jobs from their partial index on SQLite', async () => {
    const store = await claimedRemotely('far', 'agent-1');
    const jobs = new JobStore(store.core);
    await insertJob(store, jobs, 60_000);
    const texts = (
      await statementsDuring(store.core, async () => {
        await jobs.allActive();
        await jobs.orphaned();
        await jobs.ofRevokedTokens();
      })
    ).filter(jobRead);
    expect(texts).toHaveLength(3);
    for (const text of texts) {
      const values = new Array<null>(text.split('?').length - 1).fill(null);
      const plan = (store.core.db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...values) as Array<{ detail: string }>).map(
        (row) => row.detail,
      );
      expect(plan.find((step) => /\b(j|daemon_jobs)\b/.test(step))).toMatch(/USING INDEX daemon_jobs_active/);
    }
  });
  describe('the jobs of revoked agent tokens', () => {
    it("finds the active jobs sent under a token revoked, or issued again, since; not another token's, nor a later job's", async () => {
      const t = await newStore();
      const { store } = t;
      const later = (ms: number) => t.setNow(new Date(Date.parse(store.core.nowIso()) + ms));
      const jobs = new JobStore(store.core);
      const tokens = new TokenStore(store.core);
      const send = (agentId: string) =>
        store.core.write(() =>
          jobs.insert({
            agent_id: agentId,
            task_id: 'far',
            token_name: 'box',
            daemon_host: 'box',
            repo: 'r',
            role: null,
            lease_ms: 60_000,
          }),
        );
      await tokens.create({ name: 'box' });
      await tokens.create({ name: 'other' });
      later(1000);
      const lease = await send('agent-1');
      expect(await jobs.ofRevokedTokens()).toEqual([]);

      await tokens.revoke('other');
      expect(await jobs.ofRevokedTokens()).toEqual([]);
      await tokens.revoke('box');
      expect((await jobs.ofRevokedTokens()).map((j) => j.lease_id)).toEqual([lease]);
      // Its name issued again: the job's daemon still has the revoked token.
      later(1000);
      await tokens.create({ name: 'box' });
      expect((await jobs.ofRevokedTokens()).map((j) => j.lease_id)).toEqual([lease]);
      // Ended, it is no longer anyone's to withdraw; a job sent under the new token is its daemon's own.
      await jobs.end(lease, 'lost', 'withdrawn');
      later(1000);
      await send('agent-2');
      expect(await jobs.ofRevokedTokens()).toEqual([]);
    });
  });
});
