import { afterEach, describe, expect, it } from 'vitest';
import { recordStats } from '../../../src/core/runs/watching/run-stats';
import { newRun } from '../../../src/core/store/agent-records';
import { upstreamLine } from '../../../src/core/store/jsonl-export';
import { STORE_KINDS, tempStore } from '../../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  it("records a run's session and usage on it, and its task's totals over all its runs", async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ title: 't', id: 't' }, 'test');
    await store.core.write(async (rev) => {
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
        await store.agents.insert(newRun(id, run, store.core.nowIso(), rev), null);
      }
    });
    expect(await recordStats(store, 'agent-1', 't', { session_id: 's-1', cost_usd: 0.25, tokens_in: 100, tokens_out: 10 })).toBe(true);
    expect(await recordStats(store, 'agent-2', 't', { cost_usd: 0.5, tokens_in: 200, tokens_out: 20 })).toBe(true);
    // The same batch seen twice counts once.
    await recordStats(store, 'agent-2', 't', { cost_usd: 0.5, tokens_in: 200, tokens_out: 20 });
    const task = await store.get('t');
    expect([task.cost_usd, task.tokens_in, task.tokens_out, task.session_id]).toEqual([0.75, 300, 30, 's-1']);
    expect(await recordStats(store, 'agent-1', 't', {})).toBe(false);
  });

  it("adds a run to the usage upstream's runs left on an imported task, and writes both back, cache counters kept", async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    const usage = {
      cost_usd: 0.42,
      input_tokens: 1000,
      output_tokens: 200,
      cache_read_input_tokens: 5000,
      cache_creation_input_tokens: 300,
    };
    await store.importJsonl(JSON.stringify({ kind: 'task', id: 'v', title: 'V', status: 'done', token_usage: usage }));
    expect(upstreamLine(await store.get('v')).token_usage).toEqual(usage);
    await store.core.write(async (rev) => {
      const run = { task_id: 'v', executor: 'claude', model: null, model_source: null, runs_elsewhere: false, output_path: null };
      await store.agents.insert(newRun('agent-1', { ...run, purpose: 'evaluate' as const }, store.core.nowIso(), rev), null);
    });
    await recordStats(store, 'agent-1', 'v', { cost_usd: 0.01, tokens_in: 10, tokens_out: 2 });
    await recordStats(store, 'agent-1', 'v', { cost_usd: 0.01, tokens_in: 10, tokens_out: 2 });
    const task = await store.get('v');
    expect([task.cost_usd, task.tokens_in, task.tokens_out]).toEqual([0.43, 6310, 202]);
    expect(upstreamLine(task).token_usage).toEqual({ ...usage, cost_usd: 0.43, input_tokens: 1010, output_tokens: 202 });
  });
});
