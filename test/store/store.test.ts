import { afterEach, describe, expect, it } from 'vitest';
import { PRIORITY_VALUES, TASK_STATUSES } from '../../src/shared/task';
import { WgError } from '../../src/shared/errors';
import { readyByRule } from '../helpers/ready-by-rule';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';
import { seededRandom } from '../helpers/seeded-random';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  describe('store', () => {
    it('keeps the materialized readiness equal to the rule through random changes', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const now = new Date('2026-03-01T12:00:00Z');
      const random = seededRandom(7);
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const after = ids.filter(() => random() < 0.08);
        ids.push((await store.tasks.add({ title: `Task ${i}`, after }, 'test')).id);
      }
      for (let step = 0; step < 400; step++) {
        const id = ids[Math.floor(random() * ids.length)] as string;
        const other = ids[Math.floor(random() * ids.length)] as string;
        const action = Math.floor(random() * 8);
        try {
          if (action === 0) await store.tasks.addDependency(id, other);
          else if (action === 1) await store.tasks.removeDependency(id, other);
          else if (action === 2) await store.tasks.claim(id, 'agent-x', 'test');
          else if (action === 3) await store.tasks.done(id, {}, 'test');
          else if (action === 4) await store.tasks.fail(id, 'boom', 'test');
          else if (action === 5) await store.tasks.retry(id, 'test');
          else if (action === 6) await store.tasks.abandon(id, undefined, 'test');
          else await store.tasks.setPaused(id, random() < 0.5, 'test');
        } catch (error) {
          if (!(error instanceof WgError)) throw error;
        }
        expect((await store.ready()).map((t) => t.id).sort()).toEqual(await readyByRule(store, now));
      }
    });

    it('refuses a cycle and changes nothing', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'a' }, 't');
      await store.tasks.add({ title: 'b', after: ['a'] }, 't');
      await store.tasks.add({ title: 'c', after: ['b'] }, 't');
      const before = await store.exportJsonl();
      const rev = await store.core.currentRev();
      await expect(() => store.tasks.addDependency('a', 'c')).rejects.toThrow('dependency would create a cycle: a -> c -> b -> a');
      await expect(() => store.tasks.edit('a', { after: ['c'] })).rejects.toThrow(/cycle/);
      expect(await store.exportJsonl()).toBe(before);
      expect(await store.core.currentRev()).toBe(rev);
    });

    it('orders ready tasks by priority, then age, and honours schedules', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'low', priority: PRIORITY_VALUES.low }, 't');
      await store.tasks.add({ title: 'normal' }, 't');
      await store.tasks.add({ title: 'critical', priority: PRIORITY_VALUES.critical }, 't');
      await store.tasks.add({ title: 'later', schedule: '0 13 * * *' }, 't');
      expect((await store.ready()).map((t) => t.id)).toEqual(['critical', 'normal', 'low']);
      env.setNow(new Date('2026-03-01T13:00:01Z'));
      expect((await store.ready()).map((t) => t.id)).toContain('later');
    });

    it('walks a task through its life with a log', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'Build it', tags: ['x'] }, 'user');
      await store.tasks.claim('build-it', 'agent-1', 'coordinator');
      await store.tasks.log('build-it', 'working', 'agent-1');
      await store.tasks.artifact('build-it', 'out/app.js', 'agent-1');
      const done = await store.tasks.done('build-it', { agent: 'agent-1', artifacts: { result: 'ok' } }, 'agent-1');
      expect(done).toMatchObject({
        status: 'done',
        assigned: 'agent-1',
        artifacts: ['out/app.js'],
        results: { result: 'ok' },
        tags: ['x'],
      });
      expect(done.completed_at).not.toBeNull();
      expect(done.log.map((l) => l.message)).toEqual([
        'Task created',
        'Claimed by agent-1',
        'working',
        'Artifact: out/app.js',
        'Task marked done',
      ]);
      await expect(() => store.tasks.done('build-it', {}, 'user')).rejects.toThrow(/already done/);
    });

    it('lists each task as its whole self less the log, description, artifacts, results and evaluation (what wg list carries)', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'Build', model: 'opus' }, 'user');
      await store.tasks.add({ title: 'Plan', description: 'A long description', tags: ['x'], schedule: '09:00', after: ['build'] }, 'user');
      await store.tasks.claim('build', 'agent-1', 'coordinator');
      await store.tasks.artifact('build', 'out/app.js', 'agent-1');
      await store.tasks.done('build', { agent: 'agent-1', artifacts: { result: 'ok' } }, 'agent-1');
      const items = await store.summaries();
      expect(items.map((item) => item.id)).toEqual(['build', 'plan']);
      for (const item of items) {
        const { log: _log, description: _d, artifacts: _a, results: _r, evaluation: _e, ...rest } = await store.get(item.id);
        // Every column a list item is made of was read (SUMMARY_COLUMNS): nothing undefined, nothing more.
        expect(item).toStrictEqual(rest);
      }
      expect((await store.summaries({ status: 'done' })).map((item) => item.id)).toEqual(['build']);
      expect((await store.summaries({ tag: 'x' })).map((item) => item.id)).toEqual(['plan']);
    });

    it('round-trips export and import, and reads upstream graph.jsonl', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'one' }, 't');
      await store.tasks.add({ title: 'two', after: ['one'], tags: ['t'] }, 't');
      const exported = await store.exportJsonl();
      const second = await tempStore(undefined, kind);
      try {
        expect(await second.store.importJsonl(exported)).toEqual({ imported: 2, updated: 0, loops: [] });
        expect(await second.store.exportJsonl()).toBe(exported);
        expect(await second.store.importJsonl(exported)).toEqual({ imported: 0, updated: 2, loops: [] });
        expect((await second.store.ready()).map((t) => t.id)).toEqual(['one']);
      } finally {
        await second.dispose();
      }
      const upstream = [
        '{"kind":"task","id":"setup","title":"Set up","status":"done","log":[{"timestamp":"2025-01-01T00:00:00Z","actor":"a","message":"ok"}]}',
        '{"kind":"task","id":"build","title":"Build","status":"open","blocked_by":["setup"]}',
        '{"kind":"resource","id":"gpu"}',
      ].join('\n');
      const third = await tempStore(undefined, kind);
      try {
        await third.store.importJsonl(upstream);
        expect((await third.store.get('build')).after).toEqual(['setup']);
        expect((await third.store.ready()).map((t) => t.id)).toEqual(['build']);
        // Upstream allows loops: the edge closing one is kept as a back edge that does not block.
        expect((await third.store.importJsonl('{"id":"x","title":"X","after":["y"]}\n{"id":"y","title":"Y","after":["x"]}')).loops).toEqual(
          ['x -> y'],
        );
        expect((await third.store.ready()).map((t) => t.id)).toEqual(['build', 'x']);
        expect((await third.store.get('x')).after).toEqual(['y']);
      } finally {
        await third.dispose();
      }
    });

    it('accepts exactly the statuses upstream writes', () => {
      expect(TASK_STATUSES).toEqual([
        'open',
        'in-progress',
        'waiting',
        'blocked',
        'done',
        'failed',
        'abandoned',
        'pending-validation',
        'pending-eval',
        'failed-pending-eval',
        'incomplete',
      ]);
    });
  });
});

describe('the SQLite store', () => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());
  it('checkpoints its WAL every 4,000 pages and cuts the file back to 16 MB', async () => {
    env = await tempStore();
    const { db } = env.store.core;
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(4000);
    expect(db.pragma('journal_size_limit', { simple: true })).toBe(16 * 1024 * 1024);
  });
});
