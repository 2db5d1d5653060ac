import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import { WgError } from '../../src/shared/errors';
import { newRun } from '../../src/core/store/agent-records';
import { PERSON, type Reporter } from '../../src/core/store/run-reports';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  type Kind = 'process' | 'http' | 'external';

  /** A task held by a run of the given kind, as a coordinator claim leaves it. */
  async function held(taskId: string, agentId: string, kind: Kind = 'process', runId = `run-of-${agentId}`): Promise<void> {
    const { store } = env;
    await store.tasks.add({ title: taskId, id: taskId }, 'test');
    await store.core.write(async (rev) => {
      const run = newRun(
        agentId,
        {
          task_id: taskId,
          executor: kind === 'process' ? 'claude' : kind,
          model: null,
          model_source: null,
          runs_elsewhere: kind !== 'process',
          output_path: null,
          purpose: 'task',
        },
        store.core.nowIso(),
        rev,
      );
      await store.agents.insert(
        run,
        JSON.stringify({ kind, output: 'plain', resumed_session: null, timeout_s: null, needs_evidence: false }),
        runId,
      );
    });
    await store.tasks.claim(taskId, agentId, 'coordinator');
  }

  const run = (agentId: string, runId = `run-of-${agentId}`): Reporter => ({ kind: 'agent', agentId, runId });
  const named = (agentId: string): Reporter => ({ kind: 'agent', agentId, runId: null });
  const agent = async (id: string): Promise<Agent> => env.store.agents.get(id);

  async function refused(work: () => unknown): Promise<string> {
    try {
      await work();
    } catch (error) {
      expect(error).toBeInstanceOf(WgError);
      expect((error as WgError).code).toBe('conflict');
      return (error as WgError).message;
    }
    throw new Error('the report was accepted');
  }

  describe('who may report on a task', () => {
    it('the run that holds it: done, fail, log and artifact', async () => {
      env = await tempStore(undefined, kind);
      await held('t', 'agent-1');
      await env.store.tasks.log('t', 'working on it', 'agent-1', run('agent-1'));
      await env.store.tasks.artifact('t', 'out.txt', 'agent-1', run('agent-1'));
      const done = await env.store.tasks.done('t', {}, 'agent-1', run('agent-1'));
      expect(done).toMatchObject({ status: 'done', assigned: 'agent-1', artifacts: ['out.txt'] });
      // A local run ends when its process does (its usage still to be read), so it is still working here.
      expect((await agent('agent-1')).state).toBe('working');
      // A note after its own done is still its own.
      await env.store.tasks.log('t', 'wrapped up', 'agent-1', run('agent-1'));
    });

    it('not a run that was killed: every report is refused, noted in the log, and changes nothing else', async () => {
      env = await tempStore(undefined, kind);
      await held('t', 'agent-1');
      await env.store.core.write((rev) =>
        env.store.agents.end('agent-1', { state: 'killed', ended_at: env.store.core.nowIso(), exit_code: null, reason: 'killed' }, rev),
      );
      await env.store.tasks.unclaim('t', 'user');
      const before = await env.store.get('t');
      expect(await refused(() => env.store.tasks.done('t', {}, 'agent-1', run('agent-1')))).toBe(
        'refused: agent-1 is no longer working (killed)',
      );
      expect(await refused(() => env.store.tasks.fail('t', 'nope', 'agent-1', run('agent-1')))).toBe(
        'refused: agent-1 is no longer working (killed)',
      );
      expect(await refused(() => env.store.tasks.log('t', 'late', 'agent-1', run('agent-1')))).toMatch(/no longer working/);
      expect(await refused(() => env.store.tasks.artifact('t', 'x', 'agent-1', run('agent-1')))).toMatch(/no longer working/);
      expect(await refused(() => env.store.agents.heartbeat('agent-1', 'run-of-agent-1'))).toMatch(/no longer working/);
      const after = await env.store.get('t');
      expect(after).toMatchObject({ status: 'open', assigned: null, artifacts: before.artifacts });
      expect(after.log.slice(before.log.length).map((l) => l.message)).toEqual([
        'Refused `wg done` from agent-1: agent-1 is no longer working (killed)',
        'Refused `wg fail` from agent-1: agent-1 is no longer working (killed)',
        'Refused `wg log` from agent-1: agent-1 is no longer working (killed)',
        'Refused `wg artifact` from agent-1: agent-1 is no longer working (killed)',
        'Refused a heartbeat from agent-1: agent-1 is no longer working (killed)',
      ]);
    });

    it("not a run superseded by another, nor one that shows another run's id", async () => {
      env = await tempStore(undefined, kind);
      await held('t', 'agent-2');
      await env.store.core.write((rev) =>
        env.store.agents.insert(
          newRun(
            'agent-1',
            {
              task_id: 't',
              executor: 'claude',
              model: null,
              model_source: null,
              runs_elsewhere: false,
              output_path: null,
              purpose: 'task',
            },
            env.store.core.nowIso(),
            rev,
          ),
          null,
          'run-of-agent-1',
        ),
      );
      expect(await refused(() => env.store.tasks.done('t', {}, 'agent-1', run('agent-1')))).toBe(
        "refused: agent-1 does not hold task 't' (it is in progress with agent-2)",
      );
      expect(await refused(() => env.store.tasks.done('t', {}, 'agent-2', run('agent-2', 'run-of-agent-1')))).toBe(
        "refused: this is not agent-2's run (its run id differs)",
      );
      expect((await env.store.get('t')).status).toBe('in-progress');
    });

    it('`wg done ID --agent A`: refused while another run of ours holds it; fine when A holds it or nobody does', async () => {
      env = await tempStore(undefined, kind);
      await held('t', 'agent-2');
      expect(await refused(() => env.store.tasks.done('t', { agent: 'someone' }, 'someone'))).toBe("refused: task 't' is held by agent-2");
      expect((await env.store.tasks.done('t', { agent: 'agent-2' }, 'agent-2')).status).toBe('done');
      await env.store.tasks.add({ title: 'free', id: 'free' }, 'test');
      expect(await env.store.tasks.done('free', { agent: 'n8n' }, 'n8n')).toMatchObject({ status: 'done', assigned: 'n8n' });
    });

    it('a task claimed outside (or for an external agent) can be completed by the agent id that reports it, and the claim ends as done', async () => {
      env = await tempStore(undefined, kind);
      await held('ext', 'agent-5', 'external');
      const done = await env.store.tasks.done('ext', { agent: 'n8n-worker', artifacts: { result: 'ok' } }, 'n8n-worker');
      expect(done).toMatchObject({ status: 'done', assigned: 'n8n-worker', results: { result: 'ok' } });
      expect(await agent('agent-5')).toMatchObject({ state: 'done', reason: 'task marked done by n8n-worker' });
      await env.store.tasks.add({ title: 'by hand', id: 'hand' }, 'test');
      await env.store.tasks.claim('hand', 'bob', 'bob');
      expect((await env.store.tasks.done('hand', { agent: 'alice' }, 'alice')).status).toBe('done');
    });

    it("an http agent's own callback ends its run at once (no process to wait for)", async () => {
      env = await tempStore(undefined, kind);
      await held('h', 'agent-3', 'http');
      await env.store.tasks.done('h', { agent: 'agent-3' }, 'agent-3', named('agent-3'));
      expect((await agent('agent-3')).state).toBe('done');
    });

    it("a person's done or fail settles the task and ends the holder's run as the task ended", async () => {
      env = await tempStore(undefined, kind);
      await held('a', 'agent-1');
      await held('b', 'agent-2');
      await env.store.tasks.done('a', {}, 'user', PERSON);
      expect(await agent('agent-1')).toMatchObject({ state: 'done', reason: 'task marked done by user' });
      await env.store.tasks.fail('b', 'wrong approach', 'user', PERSON);
      expect(await agent('agent-2')).toMatchObject({ state: 'failed', reason: 'task marked failed by user: wrong approach' });
      expect(await env.store.get('b')).toMatchObject({ status: 'failed', failure_reason: 'wrong approach' });
    });
  });
});
