import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Assigning } from '../../src/core/agency/assignment/assigner-runs';
import { identitySection, resolveIdentity } from '../../src/core/executors/identity-prompt';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { buildPrompt } from '../../src/core/executors/prompt';
import { projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import type { IdentityView, RoleView, TradeoffView } from '../../src/shared/agency';
import type { Task } from '../../src/shared/task';
import { makeRegistry } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Assignment against upstream's own cases (graphwork/workgraph tests/integration_auto_assignment.rs), each named in
 * its `it`: `wg assign`, the identity an assigned agent is given in its prompt (built as the coordinator builds
 * it, from the task in the store), and which ready tasks the coordinator's auto-assignment takes (its Assigning,
 * with the assigner's model not answering, so the fallback rule picks).
 *
 * not ported:
 * - test_assign_subgraph_blocks_original_task, test_assign_subgraph_includes_description,
 *   test_assign_subgraph_includes_skills, test_assign_subgraph_skips_already_claimed, test_assign_subgraph_idempotent,
 *   test_assign_subgraph_multiple_ready_tasks, test_assign_subgraph_skips_blocked_tasks, test_full_assignment_pipeline,
 *   test_assignment_pipeline_with_mixed_tasks: they test the `assign-X` task of the test file's own copy of an older
 *   coordinator step (an agent's instructions to run `wg assign`, put before each ready task). `agency.auto_assign`
 *   here asks the assigner's model once, as the task's run is about to start, with no task in the graph
 *   (docs/guide.md, "Agency"; an imported upstream `.assign-X` is run by that assigner, docs/upstream.md), so there
 *   is no such task to block, describe, dedupe or skip; only a task about to start (ready, unclaimed) is assigned.
 * - test_grace_period_skips_freshly_created_task, test_grace_period_allows_old_task,
 *   test_grace_period_zero_skips_check: upstream's `auto_assign_grace_seconds` belongs to that step; a task here is
 *   assigned when it is about to start.
 * - test_llm_assignment_reasoning, test_llm_evaluation_recording: a real Claude run (upstream's `llm-tests`
 *   feature); a real evaluator's run is test/coordinator/evaluate-run.process.test.ts.
 */

let p: InProcessProject;
let agentId: string;
beforeEach(async () => {
  p = new InProcessProject('wg-auto-assign-');
  await p.ok(['init']);
  const role = await p.json<RoleView>([
    'role',
    'add',
    'Implementer',
    '-d',
    'Writes production-quality Rust code',
    '--skill',
    'rust',
    '--outcome',
    'Working, tested code',
  ]);
  const tradeoff = await p.json<TradeoffView>([
    'tradeoff',
    'add',
    'Quality First',
    '-d',
    'Prioritise correctness over speed',
    '--accept',
    'Slower delivery',
    '--reject',
    'Skipping tests',
  ]);
  agentId = (await p.json<IdentityView>(['agent', 'create', 'impl-agent', '--role', role.id, '--tradeoff', tradeoff.id])).id;
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);

/** The task as the coordinator reads it to start a run, and the prompt it would give it. */
async function promptFor(id: string): Promise<{ prompt: string; identity: string | null }> {
  const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
  try {
    const task = await store.get(id);
    const resolved = await resolveIdentity(store, task.agent);
    const identity = resolved ? identitySection(resolved) : null;
    const dependencies = await Promise.all(task.after.map((dep) => store.get(dep)));
    return { prompt: buildPrompt({ task, dependencies, wgPath: 'wg', identity }), identity };
  } finally {
    await store.close();
  }
}

describe('wg assign (upstream integration_auto_assignment.rs)', () => {
  it('test_assign_sets_agent_field / test_assign_cli_prefix_matching: by the whole id, and by its first 8 characters', async () => {
    await p.ok(['add', 'CLI test task', '--id', 'cli-1']);
    await p.ok(['assign', 'cli-1', agentId]);
    expect((await show('cli-1')).agent).toBe(agentId);
    await p.ok(['add', 'Prefix match test', '--id', 'cli-3']);
    await p.ok(['assign', 'cli-3', agentId.slice(0, 8)]);
    expect((await show('cli-3')).agent).toBe(agentId);
  });

  it('test_assign_cli_clear_removes_agent', async () => {
    await p.importTasks([{ id: 'cli-2', title: 'CLI clear test', agent: 'some-hash' }]);
    await p.ok(['assign', 'cli-2', '--clear']);
    expect((await show('cli-2')).agent).toBeNull();
  });

  it("test_agent_field_persists_through_save_load: an upstream task's agent is kept as it is", async () => {
    await p.importTasks([{ id: 'persist-1', title: 'Persistence test', agent: 'abc123def456' }]);
    expect((await show('persist-1')).agent).toBe('abc123def456');
  });
});

describe("the assigned agent in its run's prompt (upstream integration_auto_assignment.rs)", () => {
  it('test_assigned_agent_appears_in_rendered_prompt: the role, its tradeoffs and the task', async () => {
    await p.ok(['add', 'Context from deps', '--id', 'dep']);
    await p.ok(['done', 'dep']);
    await p.ok(['add', 'Build the widget', '--id', 'prompt-task', '-d', 'Create a new widget component', '--after', 'dep']);
    await p.ok(['assign', 'prompt-task', agentId]);
    const { prompt, identity } = await promptFor('prompt-task');
    expect(identity).toContain('Implementer');
    expect(identity).toContain('Slower delivery');
    expect(identity).toContain('Skipping tests');
    for (const text of ['Implementer', 'prompt-task', 'Build the widget', 'Create a new widget component', 'Context from deps']) {
      expect(prompt).toContain(text);
    }
    // Who the agent is comes before the task it is to do.
    expect(prompt.indexOf('Implementer')).toBeLessThan(prompt.indexOf('Build the widget'));
  });

  it('test_no_agent_renders_empty_identity: no identity, no identity section', async () => {
    await p.ok(['add', 'No agent assigned', '--id', 'no-agent-task']);
    const { prompt, identity } = await promptFor('no-agent-task');
    expect(identity).toBeNull();
    expect(prompt).not.toContain('Agent Identity');
    expect(prompt.startsWith('\n')).toBe(false);
  });
});

describe('auto-assignment of a ready task (upstream integration_auto_assignment.rs)', () => {
  it('test_assign_subgraph_created_for_ready_task / test_assign_subgraph_skips_already_assigned_agent / test_assign_subgraph_not_created_when_disabled / test_assigned_agent_survives_subgraph_construction', async () => {
    await p.ok(['agency', 'init']);
    await p.importTasks([
      { id: 'survive-1', title: 'Agent survives', agent: 'my-agent-hash' },
      { id: 'survive-2', title: 'Needs assignment' },
    ]);
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      const settings = structuredClone(DEFAULT_SETTINGS);
      const assigning = new Assigning({
        store,
        paths: projectPaths(join(p.root, '.workgraph')),
        config: () => ({ settings, registry: makeRegistry() }),
        hostEnv: {},
        log: { info: () => undefined, error: () => undefined },
        wake: () => undefined,
        run: async () => ({ code: null, events: [] }),
      });
      settings.agency.auto_assign = false;
      expect(await assigning.needs(await store.get('survive-2'), 'claude')).toBe(false);
      settings.agency.auto_assign = true;
      expect(await assigning.needs(await store.get('survive-1'), 'claude')).toBe(false);
      expect(await assigning.needs(await store.get('survive-2'), 'claude')).toBe(true);
      await assigning.begin('survive-2', 'claude');
      expect((await store.get('survive-2')).agent).not.toBeNull();
      expect((await store.get('survive-1')).agent).toBe('my-agent-hash');
    } finally {
      await store.close();
    }
  });
});
