import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SnapshotDiff, TaskTrace } from '../../src/shared/history';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg trace show` and `wg runs` on the command line, run in-process, against upstream's end-to-end cases
 * (graphwork/workgraph tests/integration_replay_exhaustive.rs), each named in its `it`. Upstream's operations
 * log (`log/operations.jsonl`) and archived attempts (`log/agents/<task>/<timestamp>/`) are written into the
 * project folder as upstream's wg writes them. Upstream takes its run snapshots with `wg replay` (not here);
 * these cases write a snapshot as upstream's runs::snapshot does (`runs/run-NNN/` with the graph in upstream's
 * format and meta.json) and change the graph with this app's verbs (`wg retry` reopens a failed task as upstream's
 * replay does, `wg archive` removes one).
 *
 * tests/integration_trace_exhaustive.rs is ported in test/store/trace.test.ts, whose titles shorten some names:
 * test_trace_no_agent_runs_json_output, test_trace_multiple_agent_runs_json_sorted,
 * test_trace_in_progress_task_json_no_duration, test_trace_output_size_accuracy_json,
 * test_trace_output_size_accuracy_megabytes, test_trace_output_size_multiple_runs_summed,
 * test_trace_turn_count_summary_display, test_trace_turn_count_multiple_runs_summed,
 * test_trace_content_block_no_double_counting, test_trace_agent_archive_missing_prompt,
 * test_trace_agent_archive_empty_directory, test_trace_operations_excludes_global_and_other_tasks,
 * test_trace_unparseable_started_at_only, test_trace_unparseable_completed_at_only are there.
 *
 * Not ported:
 * - `wg replay` itself (docs/upstream.md "Not here": a task and what follows it reopen with `wg reset`, a failed
 *   one with `wg retry`; a replay with another model is not built), and its filter text helper:
 *   test_replay_failed_only_with_abandoned, test_replay_below_score_threshold_0_5, test_replay_below_score_threshold_1_0,
 *   test_replay_tasks_multiple_explicit, test_replay_keep_done_preserves_high_scoring,
 *   test_replay_field_clearing_and_preservation, test_replay_empty_graph, test_replay_subgraph_nonexistent_root,
 *   test_replay_below_score_non_terminal_ignored, test_replay_transitive_dependents_deep_chain,
 *   test_replay_diamond_dependency, test_replay_keep_done_with_no_evaluations,
 *   test_replay_filter_description_in_metadata, test_full_replay_restore_round_trip, test_replay_then_diff,
 *   test_trace_after_replay, test_replay_multiple_evals_keeps_highest_score, test_replay_subgraph_deep_tree,
 *   test_replay_subgraph_with_cycles, test_replay_and_restore_without_service,
 *   test_replay_filter_priority_tasks_over_failed_only, test_replay_filter_priority_failed_only_over_below_score,
 *   test_replay_below_score_exact_boundary, test_replay_tasks_nonexistent_id, test_replay_subgraph_single_node,
 *   test_replay_model_override_not_applied_to_preserved, test_replay_below_score_zero_threshold,
 *   test_replay_preserves_agent_archives, test_build_filter_desc_all_flags, test_build_filter_desc_default_all_tasks,
 *   test_build_filter_desc_tasks_and_below_score, test_replay_tasks_and_subgraph_combined,
 *   test_replay_config_default_keep_done_threshold, test_replay_blocked_task_behavior,
 *   test_replay_blocked_task_not_terminal, test_replay_inprogress_task_not_reset, test_replay_inprogress_not_terminal,
 *   test_replay_tasks_with_duplicates_in_list, test_replay_keep_done_only_applies_to_done_status,
 *   test_multiple_replay_cycles_preserve_all_archives, test_replay_subgraph_follows_blocks_edges,
 *   test_replay_plan_only_no_side_effects, test_replay_plan_only_json_output, test_replay_records_provenance_entry,
 *   test_replay_model_override_on_all_reset_tasks, test_replay_json_output_structure;
 * - the restore's entry in upstream's operations log (docs/upstream.md "Not here", `wg log --operations`: this app
 *   writes no operations log; `wg runs restore --json` carries the same restored_from and safety_snapshot):
 *   test_runs_restore_provenance.
 *
 * Differs, not fixed:
 * - test_trace_with_rotated_operations_logs (integration_trace_exhaustive.rs): upstream also reads its rotated
 *   operations logs (`log/*.jsonl.zst`, zstd); this app reads `operations.jsonl` only, as Node 20 (which the app
 *   supports) has no zstd and reading them would need a new dependency.
 */

let p: InProcessProject;
let wgDir: string;
beforeEach(async () => {
  p = new InProcessProject('wg-trace-replay-');
  await p.ok(['init']);
  wgDir = join(p.root, '.workgraph');
});
afterEach(() => p.remove());

let opClock = Date.parse('2026-02-18T09:00:00Z');
/** Upstream's provenance::record: one entry appended to its operations log. */
function recordOp(op: string, taskId: string, actor: string | null, detail: unknown = null): void {
  mkdirSync(join(wgDir, 'log'), { recursive: true });
  opClock += 1000;
  const entry = { timestamp: new Date(opClock).toISOString(), op, task_id: taskId, ...(actor ? { actor } : {}), detail };
  appendFileSync(join(wgDir, 'log', 'operations.jsonl'), `${JSON.stringify(entry)}\n`);
}

/** Upstream's create_agent_archive. */
function createAgentArchive(task: string, timestamp: string, prompt: string, output: string): void {
  const dir = join(wgDir, 'log', 'agents', task, timestamp);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'prompt.txt'), prompt);
  writeFileSync(join(dir, 'output.txt'), output);
}

const trace = (id: string, ...flags: string[]) => p.json<TaskTrace>(['trace', 'show', id, ...flags]);
/** A field of the JSON by its name, as upstream's test reads `json["..."]`. */
const field = (value: object, key: string): unknown => (value as Record<string, unknown>)[key];

describe('wg trace show (upstream integration_replay_exhaustive.rs)', () => {
  it('test_trace_no_agent_runs_output_content', async () => {
    await p.importTasks([
      {
        id: 't1',
        title: 'Manual task',
        status: 'done',
        started_at: '2026-02-18T10:00:00+00:00',
        completed_at: '2026-02-18T11:00:00+00:00',
      },
    ]);
    recordOp('add_task', 't1', null, { title: 'Manual task' });
    recordOp('claim', 't1', 'human');
    recordOp('done', 't1', null);
    expect(await p.ok(['trace', 'show', 't1'])).toContain('Agent runs: (none)');
    const json = await trace('t1');
    expect(json.agent_runs).toHaveLength(0);
    expect(json.summary.agent_run_count).toBe(0);
    expect(json.operations.length).toBeGreaterThanOrEqual(3);
  });

  it('test_trace_json_structure_validation', async () => {
    await p.importTasks([
      {
        id: 't1',
        title: 'Full task',
        status: 'done',
        assigned: 'agent-1',
        created_at: '2026-02-18T09:00:00+00:00',
        started_at: '2026-02-18T10:00:00+00:00',
        completed_at: '2026-02-18T11:00:00+00:00',
      },
    ]);
    recordOp('add_task', 't1', null, { title: 'Full task' });
    const stream = [
      '{"type":"assistant","message":"hello"}',
      '{"type":"tool_use","name":"Read","id":"1"}',
      '{"type":"tool_result","tool_use_id":"1"}',
      '{"type":"assistant","message":"done"}',
      '{"type":"result","cost":{"input":100,"output":50}}',
      '',
    ].join('\n');
    createAgentArchive('t1', '2026-02-18T10:30:00Z', 'Test prompt', stream);

    const json = await trace('t1');
    expect(json).toMatchObject({ id: 't1', title: 'Full task', status: 'done', assigned: 'agent-1' });
    for (const key of ['created_at', 'started_at', 'completed_at']) expect(typeof field(json, key)).toBe('string');
    expect(json.operations.length).toBeGreaterThan(0);
    expect(typeof json.operations[0]?.timestamp).toBe('string');
    expect(typeof json.operations[0]?.op).toBe('string');
    expect(json.agent_runs).toHaveLength(1);
    const run = json.agent_runs[0] as object;
    expect(typeof field(run, 'timestamp')).toBe('string');
    for (const key of ['prompt_bytes', 'output_bytes', 'tool_calls', 'turns']) expect(typeof field(run, key)).toBe('number');
    expect(json.summary.agent_run_count).toBe(1);
    expect(typeof field(json.summary, 'duration_human')).toBe('string');
    for (const key of ['operation_count', 'duration_secs', 'total_tool_calls', 'total_turns', 'total_output_bytes']) {
      expect(typeof field(json.summary, key)).toBe('number');
    }
  });

  it('test_trace_full_output_contains_conversation', async () => {
    await p.importTasks([{ id: 't1', title: 'Full mode task', status: 'done' }]);
    createAgentArchive(
      't1',
      '2026-02-18T10:00:00Z',
      'This is a multi-line\nprompt for the agent\nwith details.',
      'Agent output response\nwith multiple lines\nof content.',
    );
    const out = await p.ok(['trace', 'show', 't1', '--full']);
    expect(out).toContain('[Prompt]');
    expect(out).toContain('[Output]');
    expect(out).toContain('multi-line');
    expect(out).toContain('Agent output response');
  });

  it('test_trace_ops_only_excludes_agent_runs', async () => {
    await p.importTasks([{ id: 't1', title: 'Ops only task', status: 'done' }]);
    recordOp('add_task', 't1', null, { title: 'Ops only task' });
    recordOp('done', 't1', null);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', 'output');
    const out = await p.ok(['trace', 'show', 't1', '--ops-only']);
    expect(out).toContain("Operations for 't1'");
    expect(out).toContain('add_task');
    expect(out).toContain('done');
    expect(out).not.toContain('Agent runs');
    expect(out).not.toContain('Summary');
  });

  it('test_trace_result_only_stream_json / test_trace_stream_json_mixed_valid_and_invalid', async () => {
    await p.importTasks([
      { id: 't1', title: 'Result only', status: 'done' },
      { id: 't2', title: 'Mixed output', status: 'done' },
    ]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', '{"type":"result","cost":{"input":100,"output":50}}');
    expect((await trace('t1')).agent_runs[0]?.turns).toBe(1);

    const mixed = [
      'some random text',
      '{"type":"assistant","message":"hello"}',
      'WARNING: something happened',
      '{"type":"tool_use","name":"Read","id":"1"}',
      'more random text',
      '{"type":"result","cost":{"input":100,"output":50}}',
      '',
    ].join('\n');
    createAgentArchive('t2', '2026-02-18T10:00:00Z', 'prompt', mixed);
    const run = (await trace('t2')).agent_runs[0];
    expect(run?.tool_calls).toBe(1);
    expect(run?.turns).toBe(1);
  });

  it('test_trace_json_overrides_full_and_ops_only', async () => {
    await p.importTasks([{ id: 't1', title: 'Override test', status: 'done' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', 'output');
    recordOp('add_task', 't1', null, { title: 'Override test' });
    const full = await trace('t1', '--full');
    expect(full.id).toBe('t1');
    expect(Array.isArray(full.agent_runs)).toBe(true);
    expect(typeof full.summary).toBe('object');
    const opsOnly = await trace('t1', '--ops-only');
    expect(opsOnly.id).toBe('t1');
    expect(Array.isArray(opsOnly.agent_runs)).toBe(true);
    expect(Array.isArray(opsOnly.operations)).toBe(true);
  });
});

describe('wg runs (upstream integration_replay_exhaustive.rs)', () => {
  /** Upstream's runs::snapshot: the graph as upstream's graph.jsonl has it, and its RunMeta. */
  async function snapshot(id: string, preserved: string[]): Promise<void> {
    const dir = join(wgDir, 'runs', id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'graph.jsonl'), await p.ok(['export', '--upstream']));
    const meta = { id, timestamp: new Date().toISOString(), model: null, reset_tasks: [], preserved_tasks: preserved, filter: null };
    writeFileSync(join(dir, 'meta.json'), JSON.stringify(meta, null, 2));
  }
  const diff = (id: string) => p.json<SnapshotDiff>(['runs', 'diff', id]);
  const change = (d: SnapshotDiff, id: string) => d.changes.find((c) => c.id === id)?.change;

  it('test_runs_diff_with_status_change_added_removed', async () => {
    await p.importTasks([
      { id: 't1', title: 'Task 1', status: 'done' },
      { id: 't2', title: 'Task 2', status: 'failed', failure_reason: 'err' },
    ]);
    await snapshot('run-001', ['t1', 't2']);
    await p.ok(['archive', 't1', '-y']);
    await p.ok(['retry', 't2']);
    await p.ok(['add', 'Task 3', '--id', 't3']);

    expect(await p.ok(['runs', 'diff', 'run-001'])).toContain('t2');
    const d = await diff('run-001');
    expect(d.total_changes).toBeGreaterThanOrEqual(2);
    expect(change(d, 't1')).toBe('removed');
    expect(change(d, 't2')).toBe('status_changed');
    expect(change(d, 't3')).toBe('added');
  });

  it('test_runs_diff_removed_task / test_runs_diff_added_task', async () => {
    await p.importTasks([
      { id: 't1', title: 'Task 1', status: 'done' },
      { id: 't2', title: 'Task 2', status: 'done' },
    ]);
    await snapshot('run-001', ['t1', 't2']);
    await p.ok(['archive', 't2', '-y']);
    expect(change(await diff('run-001'), 't2')).toBe('removed');

    await snapshot('run-002', ['t1']);
    await p.ok(['add', 'Task 2 again', '--id', 't4']);
    expect(change(await diff('run-002'), 't4')).toBe('added');
  });

  it('test_runs_restore_actual_task_status', async () => {
    await p.importTasks([{ id: 't1', title: 'Task 1', status: 'failed', failure_reason: 'err' }]);
    await snapshot('run-001', []);
    await p.ok(['retry', 't1']);
    expect((await p.json<Task>(['show', 't1'])).status).toBe('open');
    await p.ok(['runs', 'restore', 'run-001']);
    expect((await p.json<Task>(['show', 't1'])).status).toBe('failed');
  });

  it('test_runs_list_three_runs_chronological', async () => {
    await p.importTasks([{ id: 't1', title: 'Task', status: 'failed', failure_reason: 'err' }]);
    for (const id of ['run-001', 'run-002', 'run-003']) await snapshot(id, []);
    expect((await p.json<Array<{ id: string }>>(['runs', 'list'])).map((r) => r.id)).toEqual(['run-001', 'run-002', 'run-003']);
  });
});
