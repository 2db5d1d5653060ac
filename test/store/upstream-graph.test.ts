import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TASK_STATUSES, type JsonValue } from '../../src/shared/task';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  /** A current upstream graph, written from upstream's own task format (see test/fixtures/upstream/README.md). */
  const UPSTREAM_GRAPH = readFileSync(join(import.meta.dirname, '../fixtures/upstream/graph.jsonl'), 'utf8');

  type Line = Record<string, JsonValue>;
  const lines = (jsonl: string): Line[] =>
    jsonl
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as Line);

  const TIMES = new Set(['not_before', 'next_cron_fire']);

  /** The same graph whatever the line order, the order of dependencies and tags (sets) or the spelling of a time (instants compared). */
  function normalized(jsonl: string): Record<string, Line> {
    const byId: Record<string, Line> = {};
    for (const line of lines(jsonl)) {
      const copy: Line = { ...line };
      for (const key of ['after', 'tags']) if (Array.isArray(copy[key])) copy[key] = [...copy[key]].sort();
      for (const key of TIMES) if (typeof copy[key] === 'string') copy[key] = new Date(copy[key]).toISOString();
      byId[String(line.id)] = copy;
    }
    return byId;
  }

  let envs: Array<Awaited<ReturnType<typeof tempStore>>> = [];
  afterEach(async () => {
    for (const env of envs) await env.dispose();
    envs = [];
  });
  async function fresh() {
    const env = await tempStore(new Date('2026-06-01T12:00:00Z'), kind);
    envs.push(env);
    return env.store;
  }

  describe('an upstream workgraph graph', () => {
    it('is read whole: every status, numeric priorities as their levels, system tasks as what they are', async () => {
      const store = await fresh();
      expect(await store.importJsonl(UPSTREAM_GRAPH)).toEqual({ imported: 25, updated: 0, loops: ['loop-head -> loop-tail'] });
      const tasks = new Map((await store.list()).map((t) => [t.id, t]));
      expect(new Set([...tasks.values()].map((t) => t.status))).toEqual(new Set(TASK_STATUSES));
      const level = (id: string) => [tasks.get(id)?.priority, tasks.get(id)?.priority_value];
      expect(level('critical-fix')).toEqual(['critical', 100]);
      expect(level('research-spawn-semantics')).toEqual(['high', 50]);
      expect(level('write-report')).toEqual(['normal', 10]);
      expect(level('low-docs')).toEqual(['low', 5]);
      expect(level('idle-cleanup')).toEqual(['idle', 0]);
      expect(level('custom-priority')).toEqual(['critical', 75]);
      const research = tasks.get('research-spawn-semantics');
      // token_usage becomes this app's totals (input counts cached tokens, as upstream's total_input)…
      expect([research?.cost_usd, research?.tokens_in, research?.tokens_out]).toEqual([0.4123, 92200, 5400]);
      // …and every field this app does not use is kept.
      expect(research?.extra).toMatchObject({
        skills: ['rust', 'docs'],
        inputs: ['src/commands/spawn/execution.rs'],
        deliverables: ['docs/spawn.md'],
        exec_mode: 'light',
        context_scope: 'task',
        verify: 'grep -q citations docs/spawn.md',
        before: ['.flip-research-spawn-semantics'],
      });
      expect(research?.log.map((e) => [e.actor, e.user ?? null])).toEqual([
        ['coordinator', 'erik'],
        ['', null],
        ['agent-1087', 'erik'],
      ]);
      expect(tasks.get('loop-head')?.extra).toMatchObject({ loop_iteration: 1, cycle_config: { max_iterations: 3, delay: '5m' } });
      expect(tasks.get('nightly')).toMatchObject({ schedule: '0 0 2 * * *', not_before: '2099-01-02T02:00:00.000Z' });
      expect(tasks.get('.evaluate-research-spawn-semantics')?.status).toBe('in-progress');
      expect(tasks.get('remote-dep')?.after).toEqual(['peer:shared-lib']);
    });

    it('is ready by upstream rules', async () => {
      const store = await fresh();
      await store.importJsonl(UPSTREAM_GRAPH);
      // write-report waits for .evaluate-research-spawn-semantics (the eval gate); after-soft-done for soft-done's
      // evaluation, which may itself run; after-failed on a failure; remote-dep on a task not in this graph;
      // loop-head's wait on loop-tail is the loop's back edge; incomplete is retryable.
      expect((await store.ready()).map((t) => t.id)).toEqual([
        'critical-fix',
        'custom-priority',
        'loop-head',
        'low-docs',
        '.evaluate-soft-done',
        'idle-cleanup',
      ]);
    });

    it('survives a round trip to upstream and back with every field (each before made whole)', async () => {
      const store = await fresh();
      await store.importJsonl(UPSTREAM_GRAPH);
      // The export writes each task's dependents as its `before`, which this hand-written graph left out in places.
      const expected = normalized(UPSTREAM_GRAPH);
      for (const line of lines(UPSTREAM_GRAPH))
        for (const dependency of (line.after as string[] | undefined) ?? []) {
          const target = expected[dependency];
          if (!target) continue;
          const before = new Set((target.before as string[] | undefined) ?? []);
          before.add(String(line.id));
          target.before = [...before].sort();
        }
      const sortedBefore = (byId: Record<string, Line>) => {
        for (const line of Object.values(byId)) if (Array.isArray(line.before)) line.before = [...line.before].sort();
        return byId;
      };
      const upstream = await store.exportJsonl({ upstream: true });
      expect(sortedBefore(normalized(upstream))).toEqual(expected);
      // Through this app's own format too: export, import elsewhere, export for upstream again.
      const second = await fresh();
      await second.importJsonl(await store.exportJsonl());
      expect(sortedBefore(normalized(await second.exportJsonl({ upstream: true })))).toEqual(expected);
    });

    it("writes each task's dependents as its before, as the sync does (upstream's archive reads them)", async () => {
      const store = await fresh();
      await store.importJsonl(
        ['{"kind":"task","id":"a","title":"A","status":"done"}', '{"kind":"task","id":"b","title":"B","status":"open","after":["a"]}'].join(
          '\n',
        ),
      );
      await store.tasks.add({ title: 'C', id: 'c', after: ['a'] }, 'user');
      const byId = new Map(lines(await store.exportJsonl({ upstream: true })).map((line) => [line.id, line]));
      expect(byId.get('a')?.before).toEqual(['b', 'c']);
      expect(byId.get('b')).not.toHaveProperty('before');
    });

    it('writes what upstream reads: numeric priorities, its field names, nothing of this app', async () => {
      const store = await fresh();
      await store.tasks.add({ title: 'Ship it', priority: 50, executor: 'shell', exec: 'make', schedule: '09:00' }, 'user');
      const [line] = lines(await store.exportJsonl({ upstream: true }));
      expect(line).toMatchObject({
        kind: 'task',
        id: 'ship-it',
        title: 'Ship it',
        status: 'open',
        priority: 50,
        exec: 'make',
        cron_schedule: '0 9 * * *',
        cron_enabled: true,
      });
      for (const own of ['executor', 'schedule', 'priority_value', 'results', 'evaluation', 'cost_usd', 'extra', 'rev'])
        expect(line).not.toHaveProperty(own);
    });
  });
});
