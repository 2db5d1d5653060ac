import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import { makeAgent } from '../fixtures/objects';
import { opContextOn, runContextOn, STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * A run's follow-ups are its own work: none may take a system task's id (`.evaluate-X`, `.assign-X`…), which the
 * coordinator reads as its scaffolding of X, another task: X's done would wait for an evaluation the run planted, and
 * X's dependents with it.
 */

describe.each(STORE_KINDS)('on %s', async (kind) => {
  let temp = await tempStore(undefined, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  // Made for each call: `temp` is a new store after each test.
  const run = (): OpContext => runContextOn(temp, 'agent-1', 'run-1');

  it("refuses a run's follow-up with a system task's id, which would hold another task's dependents back", async () => {
    await temp.store.tasks.add({ title: 'Victim', id: 'victim' }, 'user');
    await temp.store.tasks.add({ title: 'Child', id: 'child', after: ['victim'] }, 'user');
    await temp.store.tasks.add({ title: 'Own', id: 'own' }, 'user');
    await temp.store.tasks.claim('own', 'agent-1', 'coordinator');
    await temp.store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'own' }), null, 'run-1');
    for (const id of ['.evaluate-victim', '.assign-victim', '.verify-victim']) {
      await expect(dispatch('task:add', { title: 'Planted', id }, run())).rejects.toThrow(
        `a follow-up added by a run cannot be a system task ('${id}': ids starting with "." are the coordinator's)`,
      );
    }
    await dispatch('task:done', { id: 'victim' }, opContextOn(temp));
    expect((await temp.store.get('victim')).status).toBe('done');
    expect((await temp.store.detail('child')).ready).toBe(true);
    // Its own follow-ups it still adds.
    expect((await dispatch('task:add', { title: 'Next', id: 'next' }, run())).after).toEqual(['own']);
  });
});
