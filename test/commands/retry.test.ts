import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { AgentState } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg retry` against upstream's own cases (graphwork/workgraph src/commands/retry.rs `mod tests`), each
 * named in its `it`; the ones other files already port are named there (test/store/upstream-semantics.test.ts,
 * test/cli/upstream-lifecycle.test.ts); the worktree cases need git, so they are in retry.process.test.ts. Run in
 * process through the real command table. Upstream's claim_lifecycle.rs cases (the stale claims downstream a retry
 * lets go) are in their own describe below; its closure_skips_system_tasks is in test/surgery/reset.test.ts.
 *
 * Not ported:
 * - model-tier escalation on retry (test_retry_escalates_tier_standard_to_premium,
 *   test_retry_escalates_tier_fast_to_standard, test_retry_caps_at_premium, test_retry_default_tier_escalates):
 *   not built, a retry keeps the task's model and tier (docs/upstream.md, "Not here": `--no-tier-escalation`).
 * - test_retry_incomplete_log_mentions_incomplete: log lines are this app's words, "Retry #N" (docs/upstream.md,
 *   deliberate differences); the "Task marked as incomplete" entry before it says where it came from.
 * - upstream's `wg recover` (src/commands/recover.rs), its bulk retry of failed tasks, is not here (docs/upstream.md,
 *   "Not here": `wg retry`, `wg reset` and `wg dead-agents --cleanup` instead): test_recover_dry_run_lists_failures,
 *   test_build_plan_separates_user_and_agency, test_recover_yes_resets_user_tasks,
 *   test_recover_yes_abandons_agency_followups, test_recover_keep_agency_preserves_followups,
 *   test_recover_set_model_edits_before_retry, test_recover_max_attempts_skips_exhausted,
 *   test_recover_filter_status_open_excludes_failed, test_recover_filter_id_prefix, test_recover_filter_attempts_le,
 *   test_recover_filter_error_contains, test_recover_reason_logged_on_each_retry,
 *   test_recover_set_endpoint_edits_before_retry, test_recover_does_not_touch_non_failed_user_tasks,
 *   test_recover_invalid_model_format_errors.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-retry-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** `wg show --json`: upstream's fields this app keeps unread (checkpoint, ready_after) are at the top level. */
const show = (id: string) => p.json<Task & Record<string, unknown>>(['show', id]);

/** A run of this project, as the coordinator records one (upstream's registry entry). */
async function recordRun(id: string, taskId: string, state: AgentState): Promise<void> {
  const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
  try {
    await store.core.write(() => store.agents.insert(makeAgent({ id, task_id: taskId, state }), null));
  } finally {
    await store.close();
  }
}

describe('wg retry (upstream retry.rs)', () => {
  it('test_retry_failed_task_transitions_to_open / test_retry_incomplete_task_transitions_to_open', async () => {
    await p.importTasks([
      { id: 't1', status: 'failed', retry_count: 1 },
      { id: 't2', status: 'incomplete', retry_count: 1 },
    ]);
    for (const id of ['t1', 't2']) {
      await p.ok(['retry', id]);
      expect((await show(id)).status).toBe('open');
    }
  });

  // upstream: `wg retry`'s run ("Reset 'X' from failed to open for retry (attempt #N)") and retry_in_progress's
  // ("Reset 'X' from in-progress to open (attempt #N); killed agent A (PID p)", or "; no live agent to kill").
  it("says where it reset the task from, in upstream's words; an in-progress one names the agent it ended", async () => {
    await p.importTasks([
      { id: 'was-failed', status: 'failed', retry_count: 1 },
      { id: 'was-incomplete', status: 'incomplete', retry_count: 1 },
      { id: 'held', status: 'in-progress', assigned: 'someone' },
      { id: 'running', status: 'in-progress', assigned: 'agent-7' },
    ]);
    await recordRun('agent-7', 'running', 'working');
    expect((await p.ok(['retry', 'was-failed'])).split('\n')[0]).toBe("Reset 'was-failed' from failed to open for retry (attempt #2)");
    expect((await p.ok(['retry', 'was-incomplete'])).split('\n')[0]).toBe(
      "Reset 'was-incomplete' from incomplete to open for retry (attempt #2)",
    );
    expect((await p.ok(['retry', 'held'])).split('\n')[0]).toBe(
      "Reset 'held' from in-progress to open (attempt #1); no live agent to kill",
    );
    expect((await p.ok(['retry', 'running'])).split('\n')[0]).toMatch(
      /^Reset 'running' from in-progress to open \(attempt #1\); killed agent agent-7( \(PID \d+\))?$/,
    );
    // --json is the task alone.
    await p.importTasks([{ id: 'again', status: 'failed', retry_count: 1 }]);
    expect(await p.json(['retry', 'again'])).not.toHaveProperty('retried_from');
  });

  it('test_retry_non_failed_task_errors_open / test_retry_non_failed_task_errors_done', async () => {
    await p.importTasks([
      { id: 'open-one', status: 'open' },
      { id: 'done-one', status: 'done' },
    ]);
    for (const id of ['open-one', 'done-one']) {
      const result = await p.wg(['retry', id]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toContain('can be retried');
    }
  });

  it('test_retry_adds_log_entry: "Retry #2", the second retry, is the third attempt (upstream\'s "attempt #3")', async () => {
    await p.importTasks([{ id: 't1', status: 'failed', retry_count: 2 }]);
    await p.ok(['retry', 't1']);
    expect((await show('t1')).log.at(-1)?.message).toBe('Retry #2');
  });

  it('test_retry_clears_converged_tag', async () => {
    await p.importTasks([{ id: 't1', status: 'failed', retry_count: 1, tags: ['converged', 'kept'] }]);
    await p.ok(['retry', 't1']);
    expect((await show('t1')).tags).toEqual(['kept']);
  });

  it('test_retry_no_escalation_without_config / test_retry_no_escalation_with_opt_out: the tier is kept', async () => {
    await p.importTasks([
      { id: 't1', status: 'failed', retry_count: 1, tier: 'fast' },
      { id: 't2', status: 'failed', retry_count: 1, tier: 'fast', no_tier_escalation: true },
    ]);
    await p.ok(['retry', 't1']);
    expect((await show('t1')).tier).toBe('fast');
    writeFileSync(join(p.root, '.workgraph', 'config.toml'), '[coordinator]\nescalate_on_retry = true\n');
    await p.ok(['retry', 't2']);
    expect(await show('t2')).toMatchObject({ tier: 'fast', no_tier_escalation: true });
    expect((await show('t2')).log.map((e) => e.message).join('\n')).not.toContain('Tier escalated');
  });

  it('test_retry_task_not_found', async () => {
    const result = await p.wg(['retry', 'nonexistent']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toContain('nonexistent');
  });

  it("test_retry_clears_session_id (its checkpoint half): the last attempt's checkpoint is not the next one's", async () => {
    await p.importTasks([{ id: 't1', status: 'failed', retry_count: 1, checkpoint: 'Previous checkpoint context' }]);
    await p.ok(['retry', 't1']);
    expect((await show('t1')).checkpoint).toBeUndefined();
  });

  it("an in-progress task's retry drops its checkpoint too", async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-9', checkpoint: 'half way' }]);
    await p.ok(['retry', 't1']);
    expect(await show('t1')).toMatchObject({ status: 'open', assigned: null });
    expect((await show('t1')).checkpoint).toBeUndefined();
  });

  it('test_wg_retry_clears_downstream_claims_on_dead_agents: released, with the cause in its log', async () => {
    await p.importTasks([
      { id: 'upstream', title: 'Upstream', status: 'failed', retry_count: 1, before: ['downstream'] },
      { id: 'downstream', title: 'Downstream', after: ['upstream'], assigned: 'agent-dead-1', started_at: '2026-01-01T00:00:00Z' },
      { id: 'further', title: 'Further', after: ['downstream'], status: 'in-progress', assigned: 'agent-gone' },
    ]);
    await recordRun('agent-dead-1', 'downstream', 'dead');
    await p.ok(['retry', 'upstream', '--reason', 'downstream-clear-test']);
    const down = await show('downstream');
    expect(down).toMatchObject({ assigned: null, started_at: null, status: 'open' });
    expect(down.log.at(-1)).toMatchObject({
      actor: 'claim-lifecycle',
      message: 'stale-claim cleared via retry of upstream (was assigned to @agent-dead-1 — agent dead/missing)',
    });
    // A claim by a name no run of this project has counts as missing (upstream: absent from its registry);
    // the walk goes on down the chain, and an in-progress task held that way opens again.
    expect(await show('further')).toMatchObject({ assigned: null, status: 'open' });
  });

  it('test_wg_retry_preserves_live_downstream_claims', async () => {
    await p.importTasks([
      { id: 'upstream', status: 'failed', retry_count: 1, before: ['downstream'] },
      { id: 'downstream', after: ['upstream'], status: 'in-progress', assigned: 'agent-alive-1' },
    ]);
    await recordRun('agent-alive-1', 'downstream', 'working');
    await p.ok(['retry', 'upstream']);
    expect(await show('downstream')).toMatchObject({ assigned: 'agent-alive-1', status: 'in-progress' });
    expect((await show('downstream')).log.map((e) => e.message).join('\n')).not.toContain('stale-claim');
  });

  it('finished tasks downstream keep their names, and nothing upstream of the seed is touched', async () => {
    await p.importTasks([
      { id: 'before-it', status: 'in-progress', assigned: 'agent-gone' },
      { id: 'seed', status: 'failed', after: ['before-it'] },
      { id: 'finished', status: 'done', after: ['seed'], assigned: 'agent-gone' },
    ]);
    await p.ok(['retry', 'seed']);
    expect((await show('finished')).assigned).toBe('agent-gone');
    expect(await show('before-it')).toMatchObject({ status: 'in-progress', assigned: 'agent-gone' });
  });
});

describe("wg retry's walk downstream (upstream claim_lifecycle.rs)", () => {
  /** upstream → downstream, the one downstream as upstream's cases give it. */
  async function upstreamAndDownstream(down: Record<string, unknown>): Promise<void> {
    await p.importTasks([
      { id: 'upstream', status: 'failed', retry_count: 1, before: ['downstream'] },
      { id: 'downstream', after: ['upstream'], ...down },
    ]);
  }

  it('closure_forward_simple_chain / clear_stale_downstream_handles_transitive_chain: the walk goes down the whole chain', async () => {
    await p.importTasks([
      { id: 'upstream', status: 'failed', retry_count: 1, before: ['mid'] },
      { id: 'mid', after: ['upstream'], before: ['tail'], assigned: 'agent-dead-1' },
      { id: 'tail', after: ['mid'], assigned: 'agent-dead-1' },
    ]);
    await recordRun('agent-dead-1', 'mid', 'dead');
    await p.ok(['retry', 'upstream']);
    for (const id of ['mid', 'tail']) {
      expect((await show(id)).assigned).toBeNull();
      expect((await show(id)).log.at(-1)?.message).toContain('stale-claim cleared via retry of upstream');
    }
  });

  it('is_claim_stale_returns_true_for_dead / clear_stale_downstream_clears_dead_claim_in_open_task', async () => {
    await upstreamAndDownstream({ assigned: 'agent-dead-1', started_at: '2026-01-01T00:00:00Z' });
    await recordRun('agent-dead-1', 'irrelevant', 'dead');
    await p.ok(['retry', 'upstream']);
    const down = await show('downstream');
    expect(down).toMatchObject({ status: 'open', assigned: null, started_at: null });
    expect(down.log.at(-1)?.message).toContain('stale-claim cleared via retry of upstream');
  });

  it('is_claim_stale_returns_true_for_missing: a name no run of this project has is stale', async () => {
    await upstreamAndDownstream({ assigned: 'agent-never-existed' });
    await p.ok(['retry', 'upstream']);
    expect((await show('downstream')).assigned).toBeNull();
  });

  it('clear_stale_downstream_skips_live_agent_claim', async () => {
    await upstreamAndDownstream({ assigned: 'agent-alive-1' });
    await recordRun('agent-alive-1', 'downstream', 'working');
    await p.ok(['retry', 'upstream']);
    expect((await show('downstream')).assigned).toBe('agent-alive-1');
  });

  it('clear_stale_downstream_skips_terminal_tasks', async () => {
    await upstreamAndDownstream({ status: 'done', assigned: 'agent-dead-1' });
    await recordRun('agent-dead-1', 'irrelevant', 'dead');
    await p.ok(['retry', 'upstream']);
    expect(await show('downstream')).toMatchObject({ status: 'done', assigned: 'agent-dead-1' });
  });

  it('clear_stale_downstream_resets_inprogress_to_open', async () => {
    await upstreamAndDownstream({ status: 'in-progress', assigned: 'agent-dead-1' });
    await recordRun('agent-dead-1', 'irrelevant', 'dead');
    await p.ok(['retry', 'upstream']);
    expect(await show('downstream')).toMatchObject({ status: 'open', assigned: null });
  });
});
