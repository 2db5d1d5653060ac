import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatResult } from '../../../src/cli/format-result';
import { dispatch } from '../../../src/core/ops/dispatch';
import type { OpContext } from '../../../src/core/ops/context';
import { newRun } from '../../../src/core/store/agent-records';
import { opContextOn, tempStore } from '../../helpers/temp-store';

/* `wg kill` of a run whose task is no longer its (its own `wg done` went through): the task is left as it is, and so said. */

let env: Awaited<ReturnType<typeof tempStore>>;
let ctx: OpContext;

beforeEach(async () => {
  env = await tempStore();
  ctx = opContextOn(env);
});
afterEach(() => env.dispose());

describe('wg kill of a run after its task is done', () => {
  it('leaves the task done and unpaused, and does not say it paused it', async () => {
    const { store } = env;
    await store.tasks.add({ title: 'Kad', id: 'kad' }, 'test');
    await store.core.write(async (rev) => {
      const spec = { task_id: 'kad', executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null };
      await store.agents.insert(newRun('agent-4', spec, store.core.nowIso(), rev), null);
    });
    await store.tasks.claim('kad', 'agent-4', 'coordinator');
    // Its own done, from the run: the run goes on until its process ends.
    const run = { id: 'agent-4', runId: await store.agents.runId('agent-4'), credential: false };
    await dispatch('task:done', { id: 'kad' }, { ...ctx, actor: 'agent-4', agent: run });
    expect((await store.agents.get('agent-4')).state).toBe('working');
    const result = await dispatch('agent:kill', { id: 'agent-4' }, ctx);
    expect(await store.get('kad')).toMatchObject({ status: 'done', paused: false });
    expect(formatResult('agent:kill', result)).toBe(
      'killed agent-4; task kad was no longer its (done, or taken since) and is left as it is',
    );
  });
});
