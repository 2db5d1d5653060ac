import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The prompts an agent and the evaluator are given, against upstream's tests/prompt_snapshots.rs (insta snapshots of
 * render_identity_prompt, render_evaluator_prompt and build_prompt) and tests/test_prompt_from_components.rs, each
 * case named in its `it`. Upstream renders from structs built in the test; here the same role, tradeoff and task are
 * made with `wg role add`, `wg tradeoff add`, `wg agent create`, `wg add`, and the prompts read as a person reads
 * them: `wg exec TASK --dry-run` (the agent's assembled prompt) and `wg evaluate run TASK --dry-run` (the
 * evaluator's). The identity section is upstream's layout, compared with its snapshot text; the evaluator's prompt is
 * this app's words (its eight dimensions and weights, src/core/agency/evaluation/evaluator-prompt.ts), so its cases
 * check what each snapshot shows is there, not the wording.
 *
 * not ported:
 * - snapshot_build_prompt_clean_scope, snapshot_build_prompt_task_scope, snapshot_build_prompt_graph_scope,
 *   snapshot_build_prompt_full_scope: upstream's context scopes; every run gets the same prompt here
 *   (docs/upstream.md "Not here", `--context-scope`);
 * - snapshot_build_prompt_with_loop_info: upstream's structural loops (cycle iteration info); a cycle is refused here;
 * - test_prompt_from_components.rs evolver_prompt_contains_all_component_content,
 *   evolver_prompt_uses_components_when_configured, creator_prompt_contains_all_component_content,
 *   creator_prompt_uses_components_when_configured, creator_falls_back_to_hardcoded_when_no_agent: upstream's evolver
 *   and creator agents are not here (docs/upstream.md, `--evolver-agent`, `--creator-agent`);
 * - evaluator_prompt_contains_all_component_content, assigner_prompt_contains_all_component_content,
 *   all_special_agents_compose_and_render_successfully,
 *   special_agent_role_component_ids_match_stored_components, special_agent_role_outcome_ids_reference_stored_outcomes,
 *   agent_roundtrip_produces_same_prompt: upstream's special-agent role files (its evaluator, assigner, evolver and
 *   creator roles, each composed of stored components, and its prompt composer over them); here the evaluator and
 *   assigner are starter identities (`wg agency init`) whose prompts are built by this app's code, tested in
 *   test/agency/prompts.test.ts and test/coordinator/system-tasks.test.ts.
 * differs, not fixed:
 * - snapshot_identity_prompt_full: a skill whose component has content is shown here as `- **name**: description`
 *   (one line, the component's description), upstream's as `- **Name**` then its resolved content on the next line.
 *   Changing it changes the layout test/agency/prompts.test.ts checks; left for the project.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-upstream-prompts-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const BUILDER = [
  'Builder',
  '-d',
  'Builds features from specifications with clean, tested code.',
  '--outcome',
  'Working, tested code merged to main.',
];
const QUALITY_FIRST = [
  'Quality First',
  '-d',
  'Prioritise correctness and maintainability over speed.',
  '--accept',
  'Slower delivery for higher quality',
  '--accept',
  'More verbose code for clarity',
  '--reject',
  'Skipping tests',
  '--reject',
  'Ignoring error handling',
];

/**
 * An identity of this role and tradeoff (`wg role add` and `wg tradeoff add` arguments), assigned to a new task `id`:
 * made by `wg add` with these arguments, or imported as an upstream graph.jsonl line with these fields (a `verify`,
 * which upstream's own `wg add` no longer takes).
 */
async function taskWithIdentity(
  id: string,
  role: string[],
  tradeoff: string[],
  task: string[] | Record<string, unknown> = [],
): Promise<IdentityView> {
  const r = await p.json<RoleView>(['role', 'add', ...role]);
  const t = await p.json<TradeoffView>(['tradeoff', 'add', ...tradeoff]);
  const agent = await p.json<IdentityView>(['agent', 'create', `agent-${id}`, '--role', r.id, '--tradeoff', t.id]);
  if (Array.isArray(task)) await p.ok(['add', `Task ${id}`, '--id', id, ...task]);
  else await p.importTasks([{ id, status: 'open', ...task }]);
  await p.ok(['assign', id, agent.id]);
  return agent;
}

/** The assembled prompt of `wg exec ID --dry-run`. */
async function agentPrompt(id: string): Promise<string> {
  const out = await p.ok(['exec', id, '--dry-run']);
  const start = out.indexOf('\n', out.indexOf('=== Assembled Prompt'));
  return out.slice(start + 1);
}

/** The identity section of a task's prompt: from `## Agent Identity` to its closing `---`. */
async function identityOf(id: string): Promise<string> {
  const prompt = await agentPrompt(id);
  const from = prompt.indexOf('## Agent Identity');
  return prompt.slice(from, prompt.indexOf('\n---', from) + 4);
}

const evaluatorPrompt = async (id: string) => p.ok(['evaluate', 'run', id, '--dry-run']);

const OPERATIONAL_PARAMETERS = [
  '### Operational Parameters',
  '#### Acceptable Trade-offs',
  '- Slower delivery for higher quality',
  '- More verbose code for clarity',
  '',
  '#### Non-negotiable Constraints',
  '- Skipping tests',
  '- Ignoring error handling',
  '',
  '---',
];

describe('the identity section (upstream prompt_snapshots.rs, render_identity_prompt)', () => {
  it('snapshot_identity_prompt_no_skills: no Skills heading', async () => {
    await taskWithIdentity(
      't',
      ['Reviewer', '-d', 'Reviews code for quality and correctness.', '--outcome', 'All code reviewed and approved.'],
      QUALITY_FIRST,
    );
    expect(await identityOf('t')).toBe(
      [
        '## Agent Identity',
        '',
        '### Role: Reviewer',
        'Reviews code for quality and correctness.',
        '',
        '#### Desired Outcome',
        'All code reviewed and approved.',
        '',
        ...OPERATIONAL_PARAMETERS,
      ].join('\n'),
    );
  });

  it('snapshot_identity_prompt_name_only_skills: a skill that is only a name is one line', async () => {
    await taskWithIdentity('t', [...BUILDER, '--skill', 'rust', '--skill', 'testing'], QUALITY_FIRST);
    expect(await identityOf('t')).toBe(
      [
        '## Agent Identity',
        '',
        '### Role: Builder',
        'Builds features from specifications with clean, tested code.',
        '',
        '#### Skills',
        '- rust',
        '- testing',
        '',
        '#### Desired Outcome',
        'Working, tested code merged to main.',
        '',
        ...OPERATIONAL_PARAMETERS,
      ].join('\n'),
    );
  });

  it('snapshot_identity_prompt_empty_tradeoffs: a tradeoff with nothing accepted or refused adds no Operational Parameters', async () => {
    await taskWithIdentity('t', [...BUILDER, '--skill', 'rust', '--skill', 'testing'], ['Minimal', '-d', 'Minimal constraints.']);
    expect(await identityOf('t')).toBe(
      [
        '## Agent Identity',
        '',
        '### Role: Builder',
        'Builds features from specifications with clean, tested code.',
        '',
        '#### Skills',
        '- rust',
        '- testing',
        '',
        '#### Desired Outcome',
        'Working, tested code merged to main.',
        '',
        '---',
      ].join('\n'),
    );
  });
});

describe("the agent's prompt (upstream prompt_snapshots.rs, build_prompt)", () => {
  it('snapshot_build_prompt_with_verify: the task, then "Verification Required" with its criteria', async () => {
    // A graph's verify, as upstream's graph.jsonl keeps it (its `wg add --verify` is refused now).
    await p.importTasks([
      {
        id: 'w',
        title: 'Implement widget factory',
        status: 'open',
        description: 'Build a widget factory.',
        verify: '- cargo build passes\n- cargo test passes',
      },
    ]);
    const prompt = await agentPrompt('w');
    const task = prompt.indexOf('# Task w: Implement widget factory');
    const verify = prompt.indexOf(
      '## Verification Required\n\nBefore marking done, you MUST verify:\n- cargo build passes\n- cargo test passes',
    );
    expect(task).toBeGreaterThanOrEqual(0);
    expect(verify).toBeGreaterThan(task);
  });
});

describe("the evaluator's prompt (upstream prompt_snapshots.rs, render_evaluator_prompt)", () => {
  it('snapshot_evaluator_prompt_full: title, description, required skills, verification criteria, role, tradeoff, artifacts, log, timing', async () => {
    await taskWithIdentity('w', [...BUILDER, '--skill', 'rust', '--skill', 'testing'], QUALITY_FIRST, {
      description: 'Build a widget factory with full test coverage.',
      skills: ['rust', 'testing'],
      verify: 'All tests pass. No compiler warnings.',
    });
    await p.ok(['artifact', 'w', 'src/widget.rs']);
    await p.ok(['artifact', 'w', 'tests/test_widget.rs']);
    await p.ok(['log', 'w', 'Starting implementation of feature X']);
    await p.ok(['done', 'w']);
    const prompt = await evaluatorPrompt('w');
    for (const part of [
      '**Title:** Task w',
      '**Description:**\nBuild a widget factory with full test coverage.',
      '**Required Skills:**\n- rust\n- testing',
      '**Verification Criteria:**\nAll tests pass. No compiler warnings.',
      '**Role:** Builder',
      'Builds features from specifications with clean, tested code.',
      '**Desired Outcome:** Working, tested code merged to main.',
      'Quality First',
      '**Acceptable Trade-offs:**\n- Slower delivery for higher quality\n- More verbose code for clarity',
      '**Non-negotiable Constraints:**\n- Skipping tests\n- Ignoring error handling',
      '## Task Artifacts\n\n- `src/widget.rs`\n- `tests/test_widget.rs`',
      'Starting implementation of feature X',
      '## Timing',
      '- Completed: ',
    ]) {
      expect(prompt, part).toContain(part);
    }
  });

  it('snapshot_evaluator_prompt_minimal: no identity, no artifacts, no skills or criteria', async () => {
    await p.ok(['add', 'Simple task', '--id', 's']);
    await p.ok(['done', 's']);
    const prompt = await evaluatorPrompt('s');
    expect(prompt).toContain('**Title:** Simple task');
    expect(prompt).toContain('*No agent identity was assigned.*');
    expect(prompt).toContain('*No artifacts were recorded.*');
    for (const absent of ['**Description:**', '**Required Skills:**', '**Verification Criteria:**', '**Role:**']) {
      expect(prompt).not.toContain(absent);
    }
  });

  it("snapshot_evaluator_prompt_with_evaluator_identity / evaluator_prompt_no_hardcoded_text_when_agent_configured: the evaluator's own identity opens its prompt", async () => {
    const evaluator = await taskWithIdentity(
      'e',
      ['Code Quality Evaluator', '-d', 'You are a specialized code quality evaluator.', '--outcome', 'Calibrated scores.'],
      ['Strict', '-d', 'Strict judging.', '--reject', 'Inflated scores'],
    );
    await p.ok(['config', '--evaluator-agent', evaluator.id]);
    await p.ok(['add', 'Feature implementation', '--id', 'f', '-d', 'Implement the feature.']);
    await p.ok(['artifact', 'f', 'output.txt']);
    await p.ok(['done', 'f']);
    const prompt = await evaluatorPrompt('f');
    expect(prompt.startsWith('## Agent Identity\n\n### Role: Code Quality Evaluator\nYou are a specialized code quality evaluator.')).toBe(
      true,
    );
    expect(prompt).toContain('- Inflated scores');
    expect(prompt).not.toContain('# Evaluator Instructions');
    expect(prompt).toContain('- `output.txt`');
  });

  it('evaluator_prompt_falls_back_to_hardcoded_when_no_agent: with no evaluator identity, the built-in instructions', async () => {
    await p.ok(['add', 'Feature implementation', '--id', 'f']);
    await p.ok(['done', 'f']);
    const prompt = await evaluatorPrompt('f');
    expect(
      prompt.startsWith('# Evaluator Instructions\n\nYou are an evaluator assessing the quality of work performed by an AI agent.'),
    ).toBe(true);
  });

  it('snapshot_evaluator_prompt_with_downstream_tasks: each waiting task with its status and description', async () => {
    await p.ok(['add', 'Build API client', '--id', 'api', '-d', 'Implement the HTTP API client for the external service.']);
    await p.ok(['add', 'Integrate API client', '--id', 'integrate', '--after', 'api', '-d', 'Wire the API client into the service layer.']);
    await p.ok(['add', 'Write API docs', '--id', 'docs', '--after', 'api']);
    await p.ok(['done', 'api']);
    const prompt = await evaluatorPrompt('api');
    expect(prompt).toContain('## Downstream Tasks');
    expect(prompt).toContain('- **Integrate API client** (integrate, open) — Wire the API client into the service layer.');
    expect(prompt).toContain('- **Write API docs** (docs, open)');
  });
});
