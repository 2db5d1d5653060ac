import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVAL_DIMENSIONS } from '../../src/shared/agency';
import { assignmentCandidates } from '../../src/core/agency/agency-views';
import { buildAssignerPrompt } from '../../src/core/agency/assignment/assigner-prompt';
import { buildEvaluatorPrompt } from '../../src/core/agency/evaluation/evaluator-prompt';
import { identitySection, resolveIdentity } from '../../src/core/executors/identity-prompt';
import {
  ALL_STARTER_COMPONENTS,
  ALL_STARTER_OUTCOMES,
  ALL_STARTER_ROLES,
  ALL_STARTER_TRADEOFFS,
  DEFAULT_AGENT,
  STARTER_AGENTS,
} from '../../src/core/agency/starters';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { makeTask } from '../fixtures/objects';
import { tempStore } from '../helpers/temp-store';
import { agencyWrites } from '../../src/core/agency/agency-writes';

let t: Awaited<ReturnType<typeof tempStore>>;
beforeEach(async () => {
  t = await tempStore();
  const agency = agencyWrites(t.store);
  await t.store.core.write(async () => {
    for (const c of ALL_STARTER_COMPONENTS) await agency.putComponent(c, 'keep');
    for (const o of ALL_STARTER_OUTCOMES) await agency.putOutcome(o, 'keep');
    for (const x of ALL_STARTER_TRADEOFFS) await agency.putTradeoff(x, 'keep');
    for (const r of ALL_STARTER_ROLES) await agency.putRole(r, 'keep');
    for (const a of STARTER_AGENTS) await agency.putIdentity({ name: a.name, role_id: a.role.id, tradeoff_id: a.tradeoff.id }, 'keep');
  });
});
afterEach(() => t.dispose());

describe('prompts', () => {
  it("an agent's identity section: role, skills, desired outcome, tradeoffs", async () => {
    const identity = await resolveIdentity(t.store, DEFAULT_AGENT.id);
    expect(identity).not.toBeNull();
    expect(identitySection(identity as NonNullable<typeof identity>)).toBe(
      [
        '## Agent Identity',
        '',
        '### Role: Programmer',
        'Writes, tests, and debugs code to implement features and fix bugs.',
        '',
        '#### Skills',
        '- **code-writing**: Writes production-quality code.',
        '- **testing**: Writes and runs tests.',
        '- **debugging**: Diagnoses and fixes bugs.',
        '',
        '#### Desired Outcome',
        '**Working, tested code**',
        'Working, tested code',
        '',
        '### Operational Parameters',
        '#### Acceptable Trade-offs',
        '- Slow',
        '- Verbose',
        '',
        '#### Non-negotiable Constraints',
        '- Unreliable',
        '- Untested',
        '',
        '---',
      ].join('\n'),
    );
    expect(await resolveIdentity(t.store, 'gone')).toBeNull();
  });

  it('the evaluator sees the task, who did it, its artifacts, results, diff, log and downstream tasks, and the eight dimensions', async () => {
    const task = makeTask({
      id: 'build',
      title: 'Build the parser',
      description: 'Parse the config.',
      agent: DEFAULT_AGENT.id,
      artifacts: ['src/parser.ts'],
      results: { tests: '12 passed' },
      log: [{ timestamp: 't1', actor: 'agent-3', message: 'wrote the parser' }],
    });
    const prompt = buildEvaluatorPrompt({
      task,
      worker: await resolveIdentity(t.store, task.agent),
      evaluator: await resolveIdentity(t.store, STARTER_AGENTS[2]?.id ?? null),
      diff: 'diff --git a/src/parser.ts b/src/parser.ts\n+export const parse = 1;\n',
      downstream: [{ id: 'ship', title: 'Ship it', status: 'open', description: 'Release' }],
    });
    for (const expected of [
      '### Role: Evaluator',
      '**Title:** Build the parser (build)',
      'Parse the config.',
      `**Agent:** Careful Programmer (${DEFAULT_AGENT.id.slice(0, 8)})`,
      '**Tradeoff:** Careful',
      '- `src/parser.ts`',
      '- tests: 12 passed',
      '+export const parse = 1;',
      '(agent-3): wrote the parser',
      '- **Ship it** (ship, open) — Release',
      '"notes":',
    ])
      expect(prompt).toContain(expected);
    for (const dimension of EVAL_DIMENSIONS) expect(prompt).toContain(`- **${dimension}** (weight`);
  });

  it('the assigner is offered the task agents (not itself nor the evaluator) by hash, role, tradeoff and score', async () => {
    const candidates = await assignmentCandidates(t.store, { agency: { ...DEFAULT_SETTINGS.agency } });
    expect(candidates.map((c) => c.identity.name)).toEqual(['Careful Programmer']);
    const prompt = buildAssignerPrompt(
      {
        task: makeTask({ id: 'x', title: 'Fix the bug' }),
        candidates,
        assigner: await resolveIdentity(t.store, STARTER_AGENTS[1]?.id ?? null),
        executorType: 'claude',
      },
      new Map((await t.store.agency.tradeoffs()).map((x) => [x.id, x.name])),
    );
    expect(prompt).toContain(
      `- **Careful Programmer** (hash: ${DEFAULT_AGENT.id.slice(0, 8)}): role=Programmer, tradeoff=Careful, score=none, tasks=0, role_components=[code-writing, testing, debugging]`,
    );
    expect(prompt).toContain('### Role: Assigner');
    expect(prompt).toContain('"agent_hash": "<hash prefix of selected agent>"');
  });
});
