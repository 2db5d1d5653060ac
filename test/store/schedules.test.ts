import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  const local = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi);

  describe('schedules', () => {
    it('"09:00" runs every day: each run re-arms the next, every occurrence in the log', async () => {
      env = await tempStore(local(2026, 3, 1, 8, 0), kind);
      const { store } = env;
      const added = await store.tasks.add({ title: 'Standup notes', schedule: '09:00' }, 'user');
      expect(added.not_before).toBe(local(2026, 3, 1, 9).toISOString());
      expect(await store.ready()).toEqual([]);
      for (let day = 1; day <= 3; day++) {
        env.setNow(local(2026, 3, day, 9, 1));
        expect((await store.ready()).map((t) => t.id)).toEqual(['standup-notes']);
        await store.tasks.claim('standup-notes', `agent-${day}`, 'coordinator');
        const after = await store.tasks.done('standup-notes', { agent: `agent-${day}` }, `agent-${day}`);
        expect(after).toMatchObject({ status: 'open', assigned: null, not_before: local(2026, 3, day + 1, 9).toISOString() });
        expect(await store.ready()).toEqual([]);
      }
      const log = (await store.get('standup-notes')).log.map((e) => e.message);
      expect(log.filter((m) => m === 'Task marked done')).toHaveLength(3);
      expect(log.filter((m) => m.startsWith('Run done; next run at'))).toHaveLength(3);
    });

    it('a cron schedule re-arms after a failed run too, with a fresh retry budget', async () => {
      env = await tempStore(local(2026, 3, 1, 10, 0), kind);
      const { store } = env;
      await store.tasks.add({ title: 'Every minute', id: 'tick', schedule: '*/1 * * * *' }, 'user');
      env.setNow(local(2026, 3, 1, 10, 1));
      await store.tasks.claim('tick', 'agent-1', 'coordinator');
      const failed = await store.tasks.fail('tick', 'network down', 'agent-1');
      expect(failed).toMatchObject({
        status: 'open',
        not_before: local(2026, 3, 1, 10, 2).toISOString(),
        failure_reason: null,
        retry_count: 0,
      });
      expect(failed.log.map((e) => e.message).slice(-2)).toEqual([
        'Task failed: network down',
        `Run failed; next run at ${local(2026, 3, 1, 10, 2).toISOString()} (schedule */1 * * * *)`,
      ]);
    });

    it('stops repeating once abandoned; a paused one re-arms but waits', async () => {
      env = await tempStore(local(2026, 3, 1, 10, 0), kind);
      const { store } = env;
      await store.tasks.add({ title: 'Hourly', id: 'hourly', schedule: '0 * * * *' }, 'user');
      env.setNow(local(2026, 3, 1, 11, 0));
      await store.tasks.claim('hourly', 'agent-1', 'coordinator');
      await store.tasks.setPaused('hourly', true, 'user');
      expect(await store.tasks.done('hourly', {}, 'agent-1')).toMatchObject({ status: 'open', paused: true });
      env.setNow(local(2026, 3, 1, 12, 30));
      expect(await store.ready()).toEqual([]);
      expect((await store.tasks.abandon('hourly', 'no longer needed', 'user')).status).toBe('abandoned');
    });

    it('a one-off time runs once and is not repeated', async () => {
      env = await tempStore(local(2026, 11, 30, 12, 0), kind);
      const { store } = env;
      const added = await store.tasks.add({ title: 'Launch', schedule: '2026-12-01T09:00' }, 'user');
      expect(added.not_before).toBe(local(2026, 12, 1, 9).toISOString());
      env.setNow(local(2026, 12, 1, 9, 0));
      await store.tasks.claim('launch', 'agent-1', 'coordinator');
      expect((await store.tasks.done('launch', {}, 'agent-1')).status).toBe('done');
    });
  });
});
