import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/run-event';
import type { Settings } from '../../src/shared/config-types';
import { initAgency } from '../../src/core/agency/agency-init';
import { DEFAULT_AGENT, EVALUATOR_AGENT } from '../../src/core/agency/starters';
import { Assigning } from '../../src/core/agency/assignment/assigner-runs';
import { StartHolds } from '../../src/core/coordinator/start-holds';
import { Evaluating } from '../../src/core/agency/evaluation/evaluator-runs';
import type { OneShotRequest, OneShotResult } from '../../src/core/agency/one-shot-run';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { makeRegistry } from '../fixtures/objects';

let dir: string;
let store: Store;
let settings: Settings;
let requests: OneShotRequest[];
const answers: Array<OneShotResult | (() => Promise<OneShotResult>)> = [];
const answered = (text: string): OneShotResult => ({
  code: 0,
  events: [{ type: 'result', is_error: false, text, cost_usd: 0.001, tokens_in: 10, tokens_out: 5, turns: 1 } satisfies RunEvent],
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-agency-runs-'));
  mkdirSync(join(dir, '.workgraph'));
  store = await Store.open(join(dir, '.workgraph', 'graph.db'));
  await initAgency(store, projectPaths(join(dir, '.workgraph')));
  settings = structuredClone(DEFAULT_SETTINGS);
  settings.agency = {
    ...settings.agency,
    auto_assign: true,
    auto_evaluate: true,
    max_eval_rescues: 1,
    evaluator_agent: EVALUATOR_AGENT.id,
  };
  requests = [];
  answers.length = 0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function options(registry = makeRegistry()) {
  let woken = 0;
  return {
    store,
    paths: projectPaths(join(dir, '.workgraph')),
    config: () => ({ settings, registry }),
    // The fake run starts nothing; Claude Code is "found" (this Node binary) so the question is asked at all.
    hostEnv: { WG_CLAUDE_BIN: process.execPath },
    log: { info: () => undefined, error: () => undefined },
    wake: () => void woken++,
    run: async (request: OneShotRequest) => {
      requests.push(request);
      const next = answers.shift() ?? { code: null, events: [] };
      return typeof next === 'function' ? next() : next;
    },
  };
}

const settled = async (busy: () => ReadonlySet<string>) => {
  for (let i = 0; i < 100 && busy().size > 0; i++) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 5));
};

describe('assigning', () => {
  it("takes the assigner's answer and logs seed 004's line", async () => {
    await store.tasks.add({ title: 'Document the spawn semantics', id: 'research' }, 'user');
    answers.push(answered('{"agent_hash":"02e87968","exec_mode":"light","context_scope":"task","reason":"can trace and cite"}'));
    const assigning = new Assigning(options(makeRegistry([], { assigner: 'sonnet' })));
    expect(await assigning.needs(await store.get('research'), 'claude')).toBe(true);
    expect(await assigning.needs(await store.get('research'), 'shell')).toBe(false);
    await assigning.begin('research', 'claude');
    const task = await store.get('research');
    expect(task.agent).toBe(DEFAULT_AGENT.id);
    expect(task.log.map((l) => l.message)).toContain(
      'Lightweight assignment: agent=Careful Programmer (02e87968), exec_mode=light, context_scope=task, reason=can trace and cite',
    );
    expect(
      task.log.some(
        (l) =>
          l.message ===
          'Assignment started --executor claude --model sonnet (role assigner: model from the assigner route ([roles] assigner))',
      ),
    ).toBe(true);
    expect(requests[0]).toMatchObject({ purpose: 'assign', timeout_s: 30, model: 'sonnet' });
    expect(requests[0]?.spec.args).toEqual(expect.arrayContaining(['--model', 'sonnet', '--tools', '']));
    expect(requests[0]?.spec.stdin).toContain('(hash: 02e87968)');
    expect(await store.evaluations.assignment('research')).toMatchObject({ source: 'model', exec_mode: 'light' });
  });

  it('falls back when the assigner times out (or answers nonsense)', async () => {
    await store.tasks.add({ title: 'Fix the login bug', id: 'bug' }, 'user');
    answers.push({ code: null, events: [] });
    const assigning = new Assigning(options());
    await assigning.begin('bug', 'claude');
    const line = (await store.get('bug')).log.find((l) => l.message.startsWith('Lightweight assignment:'))?.message;
    expect(line).toBe(
      'Lightweight assignment: agent=Careful Programmer (02e87968), exec_mode=full, context_scope=task, ' +
        'reason=the assigner gave no answer: it did not finish (stopped, or timed out after 30 s); chose the default agent (no agent whose role fits has a score yet)',
    );
    expect(requests[0]?.spec.args).toEqual(expect.arrayContaining(['--model', 'haiku']));
    expect((await store.evaluations.assignment('bug'))?.source).toBe('fallback');
  });

  // With Claude Code not installed, an assigner started for every task would only end "exited with code 127".
  it('starts no assigner that cannot run, and says why in the fallback', async () => {
    await store.tasks.add({ title: 'Fix the login bug', id: 'bug' }, 'user');
    const missing = join(dir, 'no-such', 'claude');
    const assigning = new Assigning({ ...options(), hostEnv: { WG_CLAUDE_BIN: missing } });
    await assigning.begin('bug', 'claude');
    expect(requests).toEqual([]);
    const log = (await store.get('bug')).log.map((l) => l.message);
    expect(log.some((line) => line.startsWith('Assignment started'))).toBe(false);
    expect(log.find((line) => line.startsWith('Lightweight assignment:'))).toBe(
      'Lightweight assignment: agent=Careful Programmer (02e87968), exec_mode=full, context_scope=task, ' +
        `reason=WG_CLAUDE_BIN names ${missing}, where there is no claude: point WG_CLAUDE_BIN at the installed claude, or unset it to use claude on PATH; chose the default agent (no agent whose role fits has a score yet)`,
    );
  });
});

describe('evaluating', () => {
  const pendingEval = (id: string) =>
    store.core.write(async (rev) =>
      transition(store.core, await requireTaskRow(store.core, id), { status: 'pending-eval', completed_at: store.core.nowIso() }, rev),
    );

  it('scores a pending-eval task with the evaluator model; a pass lets the dependent start', async () => {
    await store.tasks.add({ title: 'Build', id: 'build' }, 'user');
    await store.tasks.add({ title: 'Ship', id: 'ship', after: ['build'] }, 'user');
    await pendingEval('build');
    answers.push(answered('{"score":0.93,"dimensions":{"correctness":0.95},"notes":"solid"}'));
    const evaluating = new Evaluating(options(makeRegistry([], { evaluator: 'opus' })));
    await evaluating.poke();
    await evaluating.poke();
    await settled(() => evaluating.evaluating);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.spec.args).toEqual(expect.arrayContaining(['--model', 'opus']));
    expect(requests[0]?.spec.stdin).toContain('### Role: Evaluator');
    const task = await store.get('build');
    expect(task.status).toBe('done');
    expect(task.evaluation).toMatchObject({ score: 0.93, evaluator: 'claude:opus', notes: 'solid', source: 'llm' });
    expect(task.log.map((l) => l.message)).toContain(
      'Evaluation started --executor claude --model opus (role evaluator: model from the evaluator route ([roles] evaluator))',
    );
    expect((await store.ready()).map((t) => t.id)).toEqual(['ship']);
  });

  it("leaves a task a person settled while the evaluator ran to the person's score", async () => {
    await store.tasks.add({ title: 'Build', id: 'build' }, 'user');
    await pendingEval('build');
    answers.push(async () => {
      await store.tasks.done('build', {}, 'user');
      return answered('{"score":0.2,"notes":"bad"}');
    });
    const evaluating = new Evaluating(options());
    await evaluating.poke();
    await settled(() => evaluating.evaluating);
    const task = await store.get('build');
    expect(task.status).toBe('done');
    expect(task.evaluation).toBeNull();
    expect(task.log.at(-1)?.message).toBe("The evaluator's score 0.2 came after the task was settled; not applied");
  });

  // With Claude Code not installed, an evaluator that cannot start must not fail every agent's finished work
  // ("evaluation failed 2 times, so the work was not accepted"): a missing agent CLI fails nothing (runs.md).
  it('fails no work while Claude Code is not installed: it waits in pending-eval, saying so once, and is scored once it is there', async () => {
    await store.tasks.add({ title: 'Build', id: 'build' }, 'user');
    await pendingEval('build');
    const missing = join(dir, 'no-such', 'claude');
    const hostEnv: Record<string, string> = { WG_CLAUDE_BIN: missing };
    let woken = 0;
    // Held as the coordinator holds it (engine.ts): with its tasks' own waits, looked at every few seconds, its clearing
    // a wake of the coordinator, whose turn pokes the evaluator. Before, only the next turn (up to poll_interval, 60 s)
    // looked again, and `wg service status` did not list it.
    let cleared = 0;
    const holds = new StartHolds(() => void cleared++);
    const evaluating = new Evaluating({
      ...options(),
      hostEnv,
      wake: () => void woken++,
      waiting: (waits, taskId) => void holds.hold(waits, taskId),
    });
    for (let turn = 0; turn < 3; turn++) {
      await evaluating.poke();
      await settled(() => evaluating.evaluating);
    }
    expect(requests).toEqual([]);
    expect(woken).toBe(0);
    expect(holds.list()).toEqual([{ reason: expect.stringContaining(`WG_CLAUDE_BIN names ${missing}`), executors: ['claude'] }]);
    holds.look();
    expect(cleared).toBe(0);
    const task = await store.get('build');
    expect(task).toMatchObject({ status: 'pending-eval', failure_reason: null });
    expect(task.log.map((l) => l.message).filter((m) => m.startsWith('Evaluation'))).toEqual([
      `Evaluation waits: WG_CLAUDE_BIN names ${missing}, where there is no claude: point WG_CLAUDE_BIN at the installed claude, or unset it to use claude on PATH; it starts by itself once that is found`,
    ]);
    // Installed where WG_CLAUDE_BIN names it (the coordinator's environment does not change while it runs).
    mkdirSync(dirname(missing), { recursive: true });
    symlinkSync(process.execPath, missing);
    holds.look();
    expect(cleared).toBe(1);
    expect(holds.list()).toEqual([]);
    holds.clear();
    answers.push(answered('{"score":0.93,"notes":"solid"}'));
    await evaluating.poke();
    await settled(() => evaluating.evaluating);
    expect(requests).toHaveLength(1);
    expect(await store.get('build')).toMatchObject({ status: 'done', evaluation: { score: 0.93 } });
  });

  it('runs a failing evaluator once more, then fails the task closed', async () => {
    await store.tasks.add({ title: 'Build', id: 'build' }, 'user');
    await pendingEval('build');
    answers.push(answered('This looks fine to me.'), {
      code: 1,
      events: [{ type: 'result', is_error: true, text: 'API Error: 500', cost_usd: null, tokens_in: null, tokens_out: null, turns: null }],
    });
    const evaluating = new Evaluating(options());
    await evaluating.poke();
    await settled(() => evaluating.evaluating);
    expect(requests).toHaveLength(2);
    const task = await store.get('build');
    expect(task.status).toBe('failed');
    expect(task.failure_reason).toBe('evaluation failed 2 times, so the work was not accepted: it exited with code 1: API Error: 500');
  });
});
