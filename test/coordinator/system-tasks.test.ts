import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/shared/run-event';
import type { Settings } from '../../src/shared/config-types';
import { initAgency } from '../../src/core/agency/agency-init';
import { DEFAULT_AGENT, EVALUATOR_AGENT } from '../../src/core/agency/starters';
import { AgencyRuns } from '../../src/core/agency/agency-runs';
import { FLIP_SKIPPED } from '../../src/core/agency/system-tasks';
import type { OneShotRequest, OneShotResult } from '../../src/core/agency/one-shot-run';
import { BUILTIN_EXECUTORS } from '../../src/core/config/executors';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { makeRegistry } from '../fixtures/objects';

/*
 * Issue 25 item 4: upstream's system tasks, imported with its graph, run here instead of waiting for a
 * person: `.evaluate-X` by this app's evaluator (score on X, the system task done), `.assign-X` by its
 * assigner, `.flip-X` completed with a line saying why it was skipped. The evaluator's and assigner's
 * model calls are the coordinator's one-shot runs, answered here as Claude Code's result event would.
 * Upstream: tests/integration_agency_loop.rs test_auto_evaluate_creates_dot_prefixed_eval_tasks makes
 * `.evaluate-X` after X; tests/integration_auto_assignment.rs makes `.assign-X` before X.
 */

let dir: string;
let store: Store;
let settings: Settings;
let requests: OneShotRequest[];
const answers: OneShotResult[] = [];
const answered = (text: string): OneShotResult => ({
  code: 0,
  events: [{ type: 'result', is_error: false, text, cost_usd: 0.001, tokens_in: 10, tokens_out: 5, turns: 1 } satisfies RunEvent],
});

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wg-system-tasks-'));
  mkdirSync(join(dir, '.wg'));
  store = await Store.open(join(dir, '.wg', 'graph.db'));
  settings = structuredClone(DEFAULT_SETTINGS);
  // As an upstream project may be here: auto-evaluation and auto-assignment off in this app's settings.
  settings.agency = { ...settings.agency, auto_assign: false, auto_evaluate: false, evaluator_agent: EVALUATOR_AGENT.id };
  requests = [];
  answers.length = 0;
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function agencyRuns(): AgencyRuns {
  const registry = makeRegistry([], { evaluator: 'opus', assigner: 'sonnet' });
  return new AgencyRuns({
    store,
    paths: projectPaths(join(dir, '.wg')),
    // The fake run starts nothing; Claude Code is "found" (this Node binary) so the question is asked at all.
    hostEnv: { WG_CLAUDE_BIN: process.execPath },
    config: () => ({ settings, registry, profiles: [...BUILTIN_EXECUTORS], entries: [] }),
    log: { info: () => undefined, error: () => undefined },
    wake: () => undefined,
    run: async (request) => {
      requests.push(request);
      return answers.shift() ?? { code: null, events: [] };
    },
  });
}

/** Until `id` is done (system tasks finish on their own time), poking after each look as the coordinator's turns do. */
async function doneSoon(runs: AgencyRuns, id: string) {
  for (let i = 0; i < 200; i++) {
    await runs.afterTurn();
    if ((await store.get(id)).status === 'done') return store.get(id);
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${id} is ${(await store.get(id)).status}`);
}

const lines = async (id: string) => (await store.get(id)).log.map((l) => l.message);
const line = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', status: 'open', title: 'T', ...fields });

describe("upstream's system tasks", () => {
  it('.flip-X is done at once with a line saying FLIP is skipped and why; .evaluate-X after it then runs', async () => {
    await store.importJsonl(
      [
        line({ id: 'x', status: 'done' }),
        line({ id: '.flip-x', after: ['x'] }),
        line({ id: '.evaluate-x', after: ['.flip-x'] }),
        line({ id: 'next', after: ['x'] }),
      ].join('\n'),
    );
    answers.push(answered('{"score":0.81,"dimensions":{"correctness":0.8},"notes":"fine"}'));
    const runs = agencyRuns();
    const flip = await doneSoon(runs, '.flip-x');
    expect(await lines('.flip-x')).toContain(FLIP_SKIPPED);
    expect(flip.status).toBe('done');
    await doneSoon(runs, '.evaluate-x');
    expect(requests.map((r) => [r.purpose, r.taskId])).toEqual([['evaluate', 'x']]);
  });

  it(".evaluate-X of a done X: this app's evaluator scores X, the score is recorded on X, and X's dependents go on", async () => {
    await store.importJsonl(
      [
        line({ id: 'x', title: 'Build', status: 'done' }),
        line({ id: '.evaluate-x', after: ['x'] }),
        line({ id: 'ship', after: ['x'] }),
      ].join('\n'),
    );
    // The eval gate: ship waits for .evaluate-x.
    expect((await store.ready()).map((t) => t.id)).toEqual(['.evaluate-x']);
    answers.push(answered('{"score":0.93,"dimensions":{"correctness":0.95},"notes":"solid"}'));
    await doneSoon(agencyRuns(), '.evaluate-x');
    expect(await store.get('x')).toMatchObject({ status: 'done', evaluation: { score: 0.93, source: 'llm', evaluator: 'claude:opus' } });
    expect(await lines('.evaluate-x')).toContain("Evaluated here: score 0.93 recorded on 'x'");
    expect(requests[0]?.spec.stdin).toContain('# Evaluator Instructions');
    expect((await store.ready()).map((t) => t.id)).toEqual(['ship']);
  });

  it('.evaluate-X done meanwhile is not run again from a ready list read before it was done (X is evaluated once)', async () => {
    await store.importJsonl([line({ id: 'x', status: 'done' }), line({ id: '.evaluate-x', after: ['x'] })].join('\n'));
    answers.push(answered('{"score":0.9,"dimensions":{},"notes":"ok"}'), answered('{"score":0.5,"dimensions":{},"notes":"again"}'));
    const runs = agencyRuns();
    // What a turn's look read with its commit, before the run that did it ended (frozen-internal-run.process.test.ts).
    const stale = await runs.readAfterTurn();
    expect(stale.system.map((task) => task.id)).toEqual(['.evaluate-x']);
    await doneSoon(runs, '.evaluate-x');
    await runs.afterTurn(stale);
    // A second run would have been asked for at once; its answer would have been recorded within a few looks.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(requests.map((r) => [r.purpose, r.taskId])).toEqual([['evaluate', 'x']]);
    expect((await store.get('x')).evaluation?.score).toBe(0.9);
  });

  it('.evaluate-X of a soft-done X settles X by the gate (a pass makes it done), then is done itself', async () => {
    await store.importJsonl(
      [line({ id: 'x', status: 'pending-eval' }), line({ id: '.evaluate-x', after: ['x'] }), line({ id: 'ship', after: ['x'] })].join('\n'),
    );
    answers.push(answered('{"score":0.9,"dimensions":{},"notes":"ok"}'));
    await doneSoon(agencyRuns(), '.evaluate-x');
    expect((await store.get('x')).status).toBe('done');
    expect((await store.ready()).map((t) => t.id)).toEqual(['ship']);
  });

  it('.evaluate-X of a failed X runs (failed work is evaluated too, as upstream): the score is recorded, X stays failed, its dependents wait', async () => {
    await store.importJsonl(
      [
        line({ id: 'x', title: 'Build', status: 'failed', failure_reason: 'tests red' }),
        line({ id: '.evaluate-x', after: ['x'] }),
        line({ id: 'ship', after: ['x'] }),
      ].join('\n'),
    );
    expect((await store.ready()).map((t) => t.id)).toEqual(['.evaluate-x']);
    answers.push(answered('{"score":0.2,"dimensions":{"correctness":0.1},"notes":"the tests fail"}'));
    await doneSoon(agencyRuns(), '.evaluate-x');
    expect(await store.get('x')).toMatchObject({ status: 'failed', evaluation: { score: 0.2, source: 'llm' } });
    expect(await lines('.evaluate-x')).toContain("Evaluated here: score 0.2 recorded on 'x'");
    expect((await store.ready()).map((t) => t.id)).toEqual([]);
  });

  it('.evaluate-X whose evaluator gives no usable answer is still done, with a line saying so; X is left as it was', async () => {
    await store.importJsonl(
      [line({ id: 'x', status: 'done' }), line({ id: '.evaluate-x', after: ['x'] }), line({ id: 'ship', after: ['x'] })].join('\n'),
    );
    answers.push(answered('not json at all'));
    await doneSoon(agencyRuns(), '.evaluate-x');
    expect(await store.get('x')).toMatchObject({ status: 'done', evaluation: null });
    expect(await lines('.evaluate-x')).toContain("Evaluated here: no score for 'x' (its log says why); 'x' is done");
    expect((await lines('x')).some((m) => m.startsWith('The evaluator gave no score'))).toBe(true);
    expect((await store.ready()).map((t) => t.id)).toEqual(['ship']);
  });

  it(".assign-X: this app's assigner gives X an identity, then X is ready", async () => {
    await initAgency(store, projectPaths(join(dir, '.wg')));
    await store.importJsonl(
      [line({ id: '.assign-x', before: ['x'] }), line({ id: 'x', title: 'Document it', after: ['.assign-x'] })].join('\n'),
    );
    answers.push(answered(`{"agent_hash":"${DEFAULT_AGENT.id.slice(0, 8)}","exec_mode":"full","context_scope":"task","reason":"fits"}`));
    await doneSoon(agencyRuns(), '.assign-x');
    expect(requests.map((r) => [r.purpose, r.taskId])).toEqual([['assign', 'x']]);
    expect((await store.get('x')).agent).toBe(DEFAULT_AGENT.id);
    expect(await lines('.assign-x')).toContain(`Assignment here: 'x' gets agent ${DEFAULT_AGENT.id}`);
    expect((await store.ready()).map((t) => t.id)).toEqual(['x']);
  });

  it('.assign-X with no agents to choose from is done with a line saying why, and X runs without an identity', async () => {
    await store.importJsonl([line({ id: '.assign-x' }), line({ id: 'x', after: ['.assign-x'] })].join('\n'));
    await doneSoon(agencyRuns(), '.assign-x');
    expect(requests).toEqual([]);
    expect(await lines('.assign-x')).toContain(
      "Assignment here: skipped: there are no agents to choose from ('wg agency init' seeds some); 'x' runs without an identity",
    );
    expect((await store.ready()).map((t) => t.id)).toEqual(['x']);
  });

  it("does not run other system tasks itself (.verify-X starts as an agent task, this app's .merge-X waits for a person)", async () => {
    await store.importJsonl([line({ id: 'x', status: 'done' }), line({ id: '.verify-x', after: ['x'] })].join('\n'));
    const runs = agencyRuns();
    await runs.afterTurn();
    await new Promise((r) => setTimeout(r, 50));
    expect((await store.get('.verify-x')).status).toBe('open');
    expect(requests).toEqual([]);
  });
});
