import { afterEach, describe, expect, it } from 'vitest';
import { newRun } from '../../src/core/store/agent-records';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  describe('agent rows', () => {
    it('records the pids of several started runs in one write, and only theirs', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 't', id: 't' }, 'test');
      await store.core.write(async (rev) => {
        for (const id of ['agent-1', 'agent-2', 'agent-3']) {
          await store.agents.insert(
            newRun(
              id,
              {
                task_id: 't',
                executor: 'shell',
                model: null,
                model_source: null,
                runs_elsewhere: false,
                output_path: null,
                purpose: 'task',
              },
              store.core.nowIso(),
              rev,
            ),
            null,
          );
        }
      });
      const before = await store.core.currentRev();
      await store.core.write((rev) =>
        store.agents.setPids(
          [
            ['agent-1', 4101],
            ['agent-3', 4303],
          ],
          rev,
        ),
      );
      expect((await store.agents.list()).map((a) => [a.id, a.pid])).toEqual([
        ['agent-1', 4101],
        ['agent-2', null],
        ['agent-3', 4303],
      ]);
      // The change feed sees exactly the two rows.
      expect((await store.agents.changedSince(before)).map((a) => a.id).sort()).toEqual(['agent-1', 'agent-3']);
    });

    it('gives an agent id taken by a refused write back, alone or inside a batch', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const refused = () =>
        store.core.write(async () => {
          await store.agents.nextId();
          throw new Error('refused');
        });
      await expect(refused).rejects.toThrow('refused');
      expect(await store.core.write(() => store.agents.nextId())).toBe('agent-1');
      await store.core.batch(async () => {
        await expect(refused).rejects.toThrow('refused');
        expect(await store.core.write(() => store.agents.nextId())).toBe('agent-2');
      });
    });
  });
});
