import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import { newRun } from '../../src/core/store/agent-records';
import { opContextOn, tempStore } from '../helpers/temp-store';

/*
 * A message to a task is kept whoever is there to read it (upstream's rule); the sender is told when nobody will
 * while it matters: a run that reads no message while it works (a shell command), or a task that is finished.
 */

let env: Awaited<ReturnType<typeof tempStore>>;
let ctx: OpContext;
let warned: string[];

async function working(taskId: string, agentId: string, executor: string): Promise<void> {
  const { store } = env;
  await store.tasks.add({ title: taskId, id: taskId }, 'test');
  await store.core.write(async (rev) => {
    const spec = { task_id: taskId, executor, model: null, model_source: null, runs_elsewhere: false, output_path: null };
    await store.agents.insert(newRun(agentId, spec, store.core.nowIso(), rev), null);
  });
  await store.tasks.claim(taskId, agentId, 'coordinator');
}

beforeEach(async () => {
  env = await tempStore();
  warned = [];
  ctx = opContextOn(env, { warn: (line) => warned.push(line) });
});
afterEach(() => env.dispose());

describe('a message no agent will read (found in review)', () => {
  it('to a shell run at work: it reads it only through wg log or wg msg read, said; kept for the next run', async () => {
    // A reviewer's shell run read it with its `wg log` after being told it would not read it while it ran.
    await working('notes', 'agent-1', 'shell');
    await dispatch('msg:send', { task: 'notes', message: 'write them elsewhere' }, ctx);
    expect(warned).toEqual([
      "agent-1 (shell) reads it only if it runs wg log or wg msg read before it ends: else the next run of 'notes' has it in its prompt",
    ]);
    expect(await env.store.messages.list('notes')).toHaveLength(1);
  });

  it('to a run that calls no wg (an HTTP agent service): not read while it runs, said', async () => {
    await working('posted', 'agent-3', 'http');
    await dispatch('msg:send', { task: 'posted', message: 'one more thing' }, ctx);
    expect(warned).toEqual(["agent-3 (http) does not read messages while it runs: the next run of 'posted' has it in its prompt"]);
  });

  it('to a Claude Code run at work: nothing to say, its hook hands it over', async () => {
    await working('code', 'agent-2', 'claude');
    await dispatch('msg:send', { task: 'code', message: 'use the helper' }, ctx);
    expect(warned).toEqual([]);
  });
});
