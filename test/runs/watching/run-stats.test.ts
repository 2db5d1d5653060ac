import { afterEach, describe, expect, it } from 'vitest';
import { recordStats } from '../../../src/core/runs/watching/run-stats';
import { newRun } from '../../../src/core/store/agent-records';
import { STORE_KINDS, tempStore } from '../../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: ReturnType<typeof tempStore>;
  afterEach(() => env?.dispose());

  it("records a run's session and usage on it, and its task's totals over all its runs", () => {
    env = tempStore(undefined, kind);
    const { store } = env;
    store.tasks.add({ title: 't', id: 't' }, 'test');
    store.core.write((rev) => {
      for (const id of ['agent-1', 'agent-2']) {
        const run = {
          task_id: 't',
          executor: 'claude',
          model: null,
          model_source: null,
          runs_elsewhere: false,
          output_path: null,
          purpose: 'task' as const,
        };
        store.agents.insert(newRun(id, run, store.core.nowIso(), rev), null);
      }
    });
    expect(recordStats(store, 'agent-1', 't', { session_id: 's-1', cost_usd: 0.25, tokens_in: 100, tokens_out: 10 })).toBe(true);
    expect(recordStats(store, 'agent-2', 't', { cost_usd: 0.5, tokens_in: 200, tokens_out: 20 })).toBe(true);
    // The same batch seen twice counts once.
    recordStats(store, 'agent-2', 't', { cost_usd: 0.5, tokens_in: 200, tokens_out: 20 });
    const task = store.get('t');
    expect([task.cost_usd, task.tokens_in, task.tokens_out, task.session_id]).toEqual([0.75, 300, 30, 's-1']);
    expect(recordStats(store, 'agent-1', 't', {})).toBe(false);
  });
});
