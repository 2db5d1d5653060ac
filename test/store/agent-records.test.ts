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
      store.tasks.add({ title: 't', id: 't' }, 'test');
      store.core.write((rev) => {
        for (const id of ['agent-1', 'agent-2', 'agent-3']) {
          store.agents.insert(
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
      const before = store.core.currentRev();
      store.core.write((rev) =>
        store.agents.setPids(
          [
            ['agent-1', 4101],
            ['agent-3', 4303],
          ],
          rev,
        ),
      );
      expect(store.agents.list().map((a) => [a.id, a.pid])).toEqual([
        ['agent-1', 4101],
        ['agent-2', null],
        ['agent-3', 4303],
      ]);
      // The change feed sees exactly the two rows.
      expect(
        store.agents
          .changedSince(before)
          .map((a) => a.id)
          .sort(),
      ).toEqual(['agent-1', 'agent-3']);
    });

    it('gives an agent id taken by a refused write back, alone or inside a batch', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const refused = () =>
        store.core.write(() => {
          store.agents.nextId();
          throw new Error('refused');
        });
      expect(refused).toThrow('refused');
      expect(store.core.write(() => store.agents.nextId())).toBe('agent-1');
      store.core.batch(() => {
        expect(refused).toThrow('refused');
        expect(store.core.write(() => store.agents.nextId())).toBe('agent-2');
      });
    });
  });
});
