import { afterEach, describe, expect, it } from 'vitest';
import { parseInput } from '../../src/core/ops/dispatch';
import { statementsDuring } from '../helpers/statements';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  /** Regression tests for what fuzzing `wg import` found. */
  describe('wg import merges and never deletes what the file does not mention', () => {
    it('a partial import of one task keeps other tasks depending on it, and its own log and tags', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'Base', tags: ['core'] }, 'user');
      await store.tasks.add({ title: 'Dependent', after: ['base'] }, 'user');
      await store.tasks.log('base', 'halfway there', 'agent-1');
      await store.importJsonl('{"kind":"task","id":"base","title":"Base, renamed","status":"open"}');
      const base = await store.get('base');
      expect(base.title).toBe('Base, renamed');
      expect(base.tags).toEqual(['core']);
      expect(base.log.map((e) => e.message)).toEqual(['Task created', 'halfway there']);
      expect((await store.get('dependent')).after).toEqual(['base']);
      // The dependent must not become ready early.
      expect((await store.ready()).map((t) => t.id)).toEqual(['base']);
    });

    it('adds to a task what the file lists and keeps what it leaves out', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'A' }, 'user');
      await store.tasks.add({ title: 'B' }, 'user');
      await store.tasks.add({ title: 'C', after: ['a'], tags: ['x'], model: 'opus' }, 'user');
      await store.importJsonl(
        '{"kind":"task","id":"c","title":"C","after":["b"],"tags":["y"],"log":[{"timestamp":"2026-01-01T00:00:00Z","message":"imported"}]}',
      );
      const c = await store.get('c');
      expect([...c.after].sort()).toEqual(['a', 'b']);
      expect([...c.tags].sort()).toEqual(['x', 'y']);
      expect(c.model).toBe('opus');
      expect(c.log.map((e) => e.message)).toEqual(['Task created', 'imported']);
      // The same file again adds nothing twice.
      await store.importJsonl('{"kind":"task","id":"c","title":"C","log":[{"timestamp":"2026-01-01T00:00:00Z","message":"imported"}]}');
      expect((await store.get('c')).log).toHaveLength(2);
    });

    it.each([['../../etc'], ['has space'], ['-flag'], ['a/b'], ['..'], ['']])(
      "refuses the id '%s' as every other command does, changing nothing",
      async (id) => {
        env = await tempStore(undefined, kind);
        const { store } = env;
        await store.tasks.add({ title: 'Keep' }, 'user');
        const before = await store.exportJsonl();
        const file = `{"kind":"task","id":"fine","title":"Fine"}\n${JSON.stringify({ kind: 'task', id, title: 'Bad' })}`;
        await expect(() => store.importJsonl(file)).rejects.toThrow(/^line 2: /);
        expect(() => parseInput('task:show', { id })).toThrow();
        expect(await store.exportJsonl()).toBe(before);
      },
    );

    it('takes ids every command can address, system tasks included', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const ids = ['.evaluate-x', 'a.b_c-d', 'X9'];
      await store.importJsonl(ids.map((id) => JSON.stringify({ kind: 'task', id, title: id })).join('\n'));
      for (const id of ids) expect(parseInput('task:show', { id })).toEqual({ id });
    });

    it('reads a repeated id as a later definition of the same task, as upstream does', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const result = await store.importJsonl('{"id":"t","title":"First","status":"open"}\n{"id":"t","title":"Second","status":"done"}');
      expect(result).toMatchObject({ imported: 1, updated: 0 });
      expect(await store.get('t')).toMatchObject({ title: 'Second', status: 'done' });
    });

    it("merges a line's long lists in statements that do not grow with them (graph.jsonl's sync merges a changed line again)", async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      // 200 tasks in the graph and 200 ids missing from it (kept aside, blocking, as upstream treats them); the task
      // `big` names `size` of them in each of its lists, the first one twice.
      const ids = Array.from({ length: 400 }, (_, i) => `dep-${i}`);
      const line = (size: number) => {
        const deps = ids.filter((_, i) => i % 2 === 0).map((id) => JSON.stringify({ kind: 'task', id, title: id, status: 'done' }));
        const named = ids.slice(0, size);
        const log = named.map((_, i) => ({
          timestamp: `2026-01-01T00:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
          actor: 'up',
          message: `step ${i}`,
        }));
        const big = {
          kind: 'task',
          id: 'big',
          title: 'Big',
          after: [...named, named[0]],
          tags: [...named, named[0]],
          log: [...log, log[0]],
        };
        return [...deps, JSON.stringify(big)].join('\n');
      };
      const small = (await statementsDuring(store.core, () => store.importJsonl(line(4)))).length;
      const again = (await statementsDuring(store.core, () => store.importJsonl(line(4)))).length;
      await env.dispose();
      env = await tempStore(undefined, kind);
      const large = (await statementsDuring(env.store.core, () => env.store.importJsonl(line(400)))).length;
      // Before, each dependency, tag and log entry took a statement or two of its own (2,000 more here).
      expect(large - small).toBeLessThanOrEqual(2);
      const big = await env.store.get('big');
      expect(big.after).toHaveLength(400);
      expect(big.tags).toHaveLength(400);
      expect(big.log.map((e) => e.message)).toEqual(Array.from({ length: 400 }, (_, i) => `step ${i}`));
      expect((await env.store.ready()).map((task) => task.id)).not.toContain('big');
      // The same line again adds nothing and takes no more statements than the first time.
      expect(again).toBeLessThanOrEqual(small);
      await env.store.importJsonl(line(400));
      expect((await env.store.get('big')).log).toHaveLength(400);
    });

    it('reads and numbers the tasks of a file in a few statements, however many it has (each a round trip on PostgreSQL)', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'Kept', id: 't0' }, 'user');
      const file = (size: number) =>
        Array.from({ length: size }, (_, i) =>
          JSON.stringify({ kind: 'task', id: `t${i}`, title: `Task ${i}`, after: i > 0 ? [`t${i - 1}`] : [] }),
        ).join('\n');
      // Statements that wait for an answer: reads, and writes that return what they wrote (a counter taken).
      const answered = async (size: number) =>
        (await statementsDuring(store.core, () => store.importJsonl(file(size)))).filter((text) => /^\s*select|returning/i.test(text))
          .length;
      const few = await answered(10);
      const many = await answered(600);
      // Before, each task took a read of its row and a counter of its own (1,180 more here).
      expect(many - few).toBeLessThanOrEqual(10);
      const tasks = await store.list();
      expect(tasks).toHaveLength(600);
      // The new tasks are numbered in the file's order, after the one the store had.
      expect(tasks.map((task) => task.id).slice(0, 3)).toEqual(['t0', 't1', 't2']);
      expect((await store.get('t599')).after).toEqual(['t598']);
    });
  });
});
