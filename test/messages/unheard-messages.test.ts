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

describe('a message no agent will read', () => {
  it('to a shell run at work: it reads it only through wg log or wg msg read, said; kept for the next run', async () => {
    // A shell run that runs `wg log` reads it: "would not read it while it runs" would be wrong.
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

  it("to a Claude Code run that ran wg done and still works: its hooks hand it over, said so, not 'no agent reads' (issue 74)", async () => {
    // A person was told nobody would read it, and the agent read it and acted on it (its Stop hook).
    await working('after', 'agent-4', 'claude');
    await env.store.tasks.done('after', { agent: 'agent-4' }, 'agent-4');
    expect((await env.store.agents.find('agent-4'))?.state).toBe('working');
    await dispatch('msg:send', { task: 'after', message: 'one more file' }, ctx);
    expect(warned).toEqual([
      "'after' is done but agent-4 (claude) still runs: it is handed this message after its next tool call, or before it ends",
    ]);
  });

  it("to a codex run that ran wg done and still works: handed over at its next model request, even mid-command, said so (not 'after its next tool call')", async () => {
    // A codex run's holder steers the message into its turn as it is sent: the model has it in its next request, even
    // while a command runs (msg-delivery.process.test.ts, with the real CLI).
    await working('codex-after', 'agent-7', 'codex');
    await env.store.tasks.done('codex-after', { agent: 'agent-7' }, 'agent-7');
    await dispatch('msg:send', { task: 'codex-after', message: 'one more test' }, ctx);
    expect(warned).toEqual([
      "'codex-after' is done but agent-7 (codex) still runs: it is handed this message at its next request to its model, even while a command of its runs, or before it ends",
    ]);
  });

  it('to a shell run that ran wg done and still works: read only through wg, else not until a retry', async () => {
    await working('shell-after', 'agent-5', 'shell');
    await env.store.tasks.done('shell-after', { agent: 'agent-5' }, 'agent-5');
    await dispatch('msg:send', { task: 'shell-after', message: 'and this' }, ctx);
    expect(warned).toEqual([
      "agent-5 (shell) reads it only if it runs wg log or wg msg read before it ends: else no agent reads it unless 'shell-after' runs again (wg retry shell-after)",
    ]);
  });

  it('to a done task whose run has ended: no agent reads it, said', async () => {
    await working('ended', 'agent-6', 'claude');
    await env.store.tasks.done('ended', { agent: 'agent-6' }, 'agent-6');
    await env.store.core.write((rev) =>
      env.store.agents.end('agent-6', { state: 'done', ended_at: env.store.core.nowIso(), exit_code: 0, reason: null }, rev),
    );
    await dispatch('msg:send', { task: 'ended', message: 'too late' }, ctx);
    expect(warned).toEqual(["'ended' is done: no agent reads this message unless the task runs again (wg retry ended)"]);
  });
});
