import { afterEach, describe, expect, it } from 'vitest';
import { parseInput } from '../../src/core/ops/dispatch';
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
  });
});
