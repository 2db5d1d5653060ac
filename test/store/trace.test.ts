import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecursiveTrace, TaskTrace, TraceRun } from '../../src/shared/history';
import type { Task } from '../../src/shared/task';
import { openProjectStore } from '../../src/core/opening/open-store';
import type { ProjectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { descendantsOf, traceRecursive, traceTask, wallClock } from '../../src/core/history/trace';
import { streamJsonStats } from '../../src/core/history/stream-stats';
import { secondsBetween, traceDuration } from '../../src/core/history/duration-text';
import { detectInterventions } from '../../src/core/history/interventions';
import { readOperations } from '../../src/core/history/operations-log';
import { lineCount, taskRuns } from '../../src/core/history/task-runs';
import { renderLanes, traceText } from '../../src/cli/history-format';
import { recordRun } from '../helpers/recorded-runs';
import { type UpstreamLine, upstreamFolder } from '../helpers/upstream-folder';

/**
 * `wg trace show`, ported from upstream's trace command (its `mod tests`) and
 * tests/integration_trace_exhaustive.rs, each named in its title. Upstream's cases run in a folder
 * upstream also uses: graph.jsonl, its operations log (`log/operations.jsonl`) and its archived
 * attempts (`log/agents/<task>/<timestamp>/`), all read here as they are. This app's own runs
 * (agent rows, their prompt and output files) are traced beside them. Not ported: test_run_graph_basic,
 * test_run_graph_nonexistent, test_reconstruct_temporal_empty, test_reconstruct_temporal_lifecycle and
 * test_reconstruct_temporal_filters_subgraph: upstream's `--graph` and `--animate` views (run_graph,
 * reconstruct_temporal) are not here (docs/upstream.md: the window draws the graph and its runs).
 */
let root: string;
let paths: ProjectPaths;
let store: Store;
afterEach(async () => {
  await store?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function project(lines: UpstreamLine[]): Promise<void> {
  ({ root, paths } = upstreamFolder('wg-trace-', lines));
  store = (await openProjectStore(paths)).store;
}

/** Upstream's create_agent_archive. */
function createAgentArchive(task: string, timestamp: string, prompt: string, output: string): void {
  const dir = join(paths.dir, 'log', 'agents', task, timestamp);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'prompt.txt'), prompt);
  writeFileSync(join(dir, 'output.txt'), output);
}

let opClock = Date.parse('2026-02-18T09:00:00Z');
/** Upstream's record_op: one entry appended to its operations log. */
function recordOp(op: string, taskId: string | null, actor: string | null, detail: unknown = null): void {
  mkdirSync(join(paths.dir, 'log'), { recursive: true });
  opClock += 1000;
  const entry = {
    timestamp: new Date(opClock).toISOString(),
    op,
    ...(taskId ? { task_id: taskId } : {}),
    ...(actor ? { actor } : {}),
    ...(detail === null ? {} : { detail }),
  };
  appendFileSync(join(paths.dir, 'log', 'operations.jsonl'), `${JSON.stringify(entry)}\n`);
}

const trace = (id: string) => traceTask(store, paths, id);
const text = async (id: string, flags: Record<string, unknown> = {}) => traceText(await trace(id), flags);
/** What `--json` prints (the object, through JSON as the command writes it). */
const json = async (id: string) => JSON.parse(JSON.stringify(await trace(id))) as TaskTrace;
/** The first run of the task's trace. */
const firstRun = async (id: string) => (await json(id)).agent_runs[0] as TraceRun;
/** A field of the JSON by its name. */
const field = (value: object, key: string): unknown => (value as Record<string, unknown>)[key];

const STREAM = [
  '{"type":"assistant","message":"Starting work"}',
  '{"type":"tool_use","name":"Read","id":"tu_1"}',
  '{"type":"tool_result","tool_use_id":"tu_1","content":"file contents"}',
  '{"type":"assistant","message":"Done now"}',
  '{"type":"tool_use","name":"Write","id":"tu_2"}',
  '{"type":"tool_result","tool_use_id":"tu_2","content":"ok"}',
  '{"type":"result","cost":{"input":1000,"output":500}}',
].join('\n');

describe('wg trace show: one task (upstream mod tests)', () => {
  it('test_trace_basic_task_summary, test_trace_basic_task_json, test_trace_basic_task_full and test_trace_ops_only', async () => {
    await project([{ id: 't1', title: 'Test task' }]);
    expect(await text('t1')).toContain('Trace: t1 (open)\nTitle: Test task');
    expect(await json('t1')).toMatchObject({ id: 't1', title: 'Test task', status: 'open', operations: [], agent_runs: [] });
    expect(await text('t1', { full: true })).toContain('Agent runs: (none)');
    expect(await text('t1', { opsOnly: true })).toBe("No operations recorded for task 't1'");
  });

  it('test_trace_nonexistent_task', async () => {
    await project([{ id: 't1' }]);
    await expect(() => trace('nonexistent')).rejects.toThrow("task 'nonexistent' not found");
  });

  it('test_trace_with_operations: only the task’s entries, in order, with actor and detail', async () => {
    await project([{ id: 't1' }, { id: 't2' }]);
    recordOp('add_task', 't1', null, { title: 'Test task' });
    recordOp('claim', 't1', 'agent-1');
    recordOp('add_task', 't2', null);
    recordOp('done', 't1', 'agent-1');
    const out = await text('t1');
    expect(out).toContain('Operations (3):');
    expect(out).toMatch(/ add_task\n {4}\{"title":"Test task"\}\n/);
    expect(out).toMatch(/ claim \(agent-1\)\n/);
  });

  it('test_trace_with_agent_archives and test_trace_json_with_agent_archives', async () => {
    await project([{ id: 't1', status: 'done' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'Do the work', STREAM);
    expect(await text('t1')).toContain('Agent runs (1):\n  Run 1 [2026-02-18T10:00:00Z]\n    Output: ');
    const run = await firstRun('t1');
    expect(run).toMatchObject({ timestamp: '2026-02-18T10:00:00Z', prompt: 'Do the work', tool_calls: 2, turns: 2 });
  });

  it('test_parse_stream_json_stats_empty, test_parse_stream_json_stats_with_turns_and_tools, test_parse_stream_json_non_json_lines_ignored', () => {
    expect(streamJsonStats('')).toEqual({ toolCalls: 0, turns: 0 });
    expect(
      streamJsonStats(
        '{"type":"assistant","message":"hello"}\n{"type":"tool_use","name":"Read","id":"123"}\n{"type":"tool_result","tool_use_id":"123"}\n{"type":"assistant","message":"done"}\n{"type":"result","cost":{"input":100,"output":50}}\n',
      ),
    ).toEqual({ toolCalls: 1, turns: 2 });
    expect(streamJsonStats('not json\nalso not json\n')).toEqual({ toolCalls: 0, turns: 0 });
  });

  it('test_format_duration_seconds, test_format_duration_minutes, test_format_duration_hours', () => {
    expect(traceDuration(45)).toBe('45s');
    expect(traceDuration(125)).toBe('2m 5s');
    expect(traceDuration(3725)).toBe('1h 2m');
  });

  it('test_build_summary_no_timestamps', async () => {
    await project([{ id: 't1' }]);
    const { summary } = await trace('t1');
    expect(summary.duration_secs).toBeUndefined();
    expect([summary.operation_count, summary.agent_run_count]).toEqual([0, 0]);
  });

  it('test_load_agent_runs_no_archive_dir', async () => {
    await project([{ id: 't1' }]);
    expect(await taskRuns(store, paths, 'nonexistent', false)).toEqual([]);
  });

  it('test_task_duration_secs and test_task_duration_secs_no_timestamps', () => {
    expect(secondsBetween('2026-02-20T10:00:00+00:00', '2026-02-20T10:05:00+00:00')).toBe(300);
    expect(secondsBetween(null, null)).toBeNull();
  });
});

describe('wg trace show: the exhaustive cases (tests/integration_trace_exhaustive.rs)', () => {
  it('test_trace_no_agent_runs_summary_output and _json_output', async () => {
    await project([
      {
        id: 't1',
        title: 'Manual task',
        status: 'done',
        started_at: '2026-02-18T10:00:00+00:00',
        completed_at: '2026-02-18T10:30:00+00:00',
      },
    ]);
    recordOp('add_task', 't1', null, { title: 'Manual task' });
    recordOp('claim', 't1', 'human');
    recordOp('done', 't1', null);
    expect(await text('t1')).toContain('Agent runs: (none)');
    expect(await text('t1')).toContain('Operations (3):');
    const out = await json('t1');
    expect(out.agent_runs).toEqual([]);
    expect(out.summary.agent_run_count).toBe(0);
    expect(out.operations.map((o) => o.op)).toEqual(['add_task', 'claim', 'done']);
    expect(out.operations[1]?.actor).toBe('human');
  });

  it('test_trace_multiple_agent_runs_summary and _json_sorted', async () => {
    await project([{ id: 't1', status: 'done' }]);
    createAgentArchive('t1', '2026-02-18T11:00:00Z', 'Second attempt', 'Second output');
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'First attempt', 'First output');
    expect(await text('t1')).toContain('Agent runs (2):');
    const out = await json('t1');
    expect(out.agent_runs.map((r) => r.timestamp)).toEqual(['2026-02-18T10:00:00Z', '2026-02-18T11:00:00Z']);
    expect(out.summary.agent_run_count).toBe(2);
  });

  it('test_trace_json_full_structure', async () => {
    await project([
      {
        id: 't1',
        title: 'Full structure',
        status: 'done',
        assigned: 'agent-1',
        created_at: '2026-02-18T09:00:00+00:00',
        started_at: '2026-02-18T10:00:00+00:00',
        completed_at: '2026-02-18T10:30:00+00:00',
      },
    ]);
    recordOp('add_task', 't1', null, { title: 'Full structure' });
    recordOp('done', 't1', 'agent-1');
    createAgentArchive('t1', '2026-02-18T10:05:00Z', 'Build the project', STREAM);
    const out = await json('t1');
    expect(out).toMatchObject({ id: 't1', title: 'Full structure', status: 'done', assigned: 'agent-1' });
    for (const key of ['created_at', 'started_at', 'completed_at']) expect(typeof field(out, key)).toBe('string');
    expect(out.operations).toHaveLength(2);
    const run = out.agent_runs[0] as TraceRun;
    expect(run.timestamp).toBe('2026-02-18T10:05:00Z');
    for (const key of ['prompt_bytes', 'output_bytes', 'prompt_lines', 'output_lines']) expect(typeof field(run, key)).toBe('number');
    expect([typeof run.prompt, typeof run.output, run.tool_calls, run.turns]).toEqual(['string', 'string', 2, 2]);
    expect(out.summary).toMatchObject({
      duration_secs: 1800,
      duration_human: '30m 0s',
      operation_count: 2,
      agent_run_count: 1,
      total_tool_calls: 2,
      total_turns: 2,
    });
    expect(typeof out.summary.total_output_bytes).toBe('number');
  });

  it('test_trace_full_shows_prompt_and_output_content', async () => {
    await project([{ id: 't1', status: 'done' }]);
    const prompt = 'You are an agent.\nBuild the project.\nMake sure tests pass.';
    const output = 'I will build the project now.\nRunning cargo build...\nAll tests passed.';
    createAgentArchive('t1', '2026-02-18T10:00:00Z', prompt, output);
    const out = await text('t1', { full: true });
    for (const part of [
      '[Prompt]',
      '[Output]',
      '    You are an agent.',
      '    Build the project.',
      '    I will build the project now.',
      '    All tests passed.',
    ])
      expect(out).toContain(part);
    expect(out).toContain(`[Prompt] (${prompt.length} bytes)`);
    expect(out).toContain(`[Output] (${output.length} bytes)`);
  });

  it('test_trace_full_multiple_runs_shows_all', async () => {
    await project([{ id: 't1', status: 'done' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'First prompt', 'First output');
    createAgentArchive('t1', '2026-02-18T11:00:00Z', 'Second prompt', 'Second output');
    const out = await text('t1', { full: true });
    for (const part of ['--- Run 1 [', '--- Run 2 [', 'First prompt', 'Second prompt', 'First output', 'Second output'])
      expect(out).toContain(part);
  });

  it('test_trace_ops_only_shows_operations', async () => {
    await project([{ id: 't1', status: 'done' }]);
    recordOp('add_task', 't1', null);
    recordOp('claim', 't1', 'agent-1');
    recordOp('done', 't1', 'agent-1');
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', 'output');
    const out = await text('t1', { opsOnly: true });
    expect(out).toContain("Operations for 't1' (3 entries):");
    for (const part of ['add_task', 'claim (agent-1)', 'done (agent-1)']) expect(out).toContain(part);
    for (const absent of ['Agent runs', 'Summary', 'Duration']) expect(out).not.toContain(absent);
  });

  it('test_trace_ops_only_no_operations', async () => {
    await project([{ id: 't1' }]);
    expect(await text('t1', { opsOnly: true })).toContain('No operations recorded');
  });

  it('test_trace_in_progress_task_summary and _json_no_duration', async () => {
    await project([{ id: 't1', status: 'in-progress', assigned: 'agent-1', started_at: '2026-02-18T10:00:00+00:00' }]);
    createAgentArchive('t1', '2026-02-18T10:05:00Z', 'prompt', 'output');
    const out = await text('t1');
    expect(out).toContain('Trace: t1 (in-progress)');
    expect(out).toContain('Assigned: agent-1');
    expect(out).toContain('Agent runs (1):');
    const data = await json('t1');
    expect(data.completed_at).toBeUndefined();
    expect(data.summary.duration_secs).toBeUndefined();
    expect(data.summary.duration_human).toBeUndefined();
  });

  it('test_trace_output_size_accuracy_summary, _json, _megabytes and _multiple_runs_summed', async () => {
    await project([
      { id: 't1', status: 'done' },
      { id: 't2', status: 'done' },
    ]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', 'x'.repeat(10240));
    expect(await text('t1')).toContain('10.0 KB');
    expect((await firstRun('t1')).output_bytes).toBe(10240);
    expect((await json('t1')).summary.total_output_bytes).toBe(10240);
    createAgentArchive('t2', '2026-02-18T10:00:00Z', 'p1', 'a'.repeat(5000));
    createAgentArchive('t2', '2026-02-18T11:00:00Z', 'p2', 'b'.repeat(3000));
    expect((await json('t2')).summary.total_output_bytes).toBe(8000);
    expect((await json('t2')).agent_runs.map((r) => r.output_bytes)).toEqual([5000, 3000]);
    createAgentArchive('t2', '2026-02-18T12:00:00Z', 'p3', 'y'.repeat(1_049_088));
    expect(await text('t2')).toMatch(/Total output: 1\.0 MB/);
  });

  it('test_trace_turn_count_accuracy, _summary_display and _multiple_runs_summed', async () => {
    await project([
      { id: 't1', status: 'done' },
      { id: 't2', status: 'done' },
    ]);
    const turns3 = [
      '{"type":"assistant","message":"Turn 1"}',
      '{"type":"tool_use","name":"Read","id":"tu_1"}',
      '{"type":"tool_use","name":"Read","id":"tu_2"}',
      '{"type":"assistant","message":"Turn 2"}',
      '{"type":"tool_use","name":"Write","id":"tu_3"}',
      '{"type":"tool_use","name":"Write","id":"tu_4"}',
      '{"type":"assistant","message":"Turn 3"}',
      '{"type":"tool_use","name":"Bash","id":"tu_5"}',
      '{"type":"result","cost":{"input":5000,"output":2000}}',
    ].join('\n');
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'p', turns3);
    expect(await firstRun('t1')).toMatchObject({ turns: 3, tool_calls: 5 });
    expect((await json('t1')).summary).toMatchObject({ total_turns: 3, total_tool_calls: 5 });
    createAgentArchive(
      't2',
      '2026-02-18T10:00:00Z',
      'p1',
      '{"type":"assistant","message":"1"}\n{"type":"tool_use","name":"Read","id":"tu_1"}\n{"type":"assistant","message":"2"}\n{"type":"result"}',
    );
    createAgentArchive(
      't2',
      '2026-02-18T11:00:00Z',
      'p2',
      '{"type":"assistant","message":"1"}\n{"type":"tool_use","id":"a"}\n{"type":"tool_use","id":"b"}',
    );
    expect((await json('t2')).summary).toMatchObject({ total_turns: 3, total_tool_calls: 3 });
    expect(await text('t2')).toContain('Total turns: 3');
    expect(await text('t2')).toContain('Total tool calls: 3');
  });

  it('test_trace_content_block_tool_use_counting and _no_double_counting', async () => {
    await project([
      { id: 't1', status: 'done' },
      { id: 't2', status: 'done' },
    ]);
    createAgentArchive(
      't1',
      '2026-02-18T10:00:00Z',
      'p',
      '{"type":"assistant","message":"Starting"}\n{"type":"tool_use","name":"Read","id":"tu_1"}\n{"content_block":{"type":"tool_use","name":"Write","id":"tu_2"}}\n{"type":"result"}',
    );
    expect((await json('t1')).summary.total_tool_calls).toBe(2);
    expect((await firstRun('t1')).turns).toBe(1);
    createAgentArchive(
      't2',
      '2026-02-18T10:00:00Z',
      'p',
      '{"type":"assistant","message":"Working"}\n{"content_block":{"type":"tool_use","id":"1"}}\n{"content_block":{"type":"tool_use","id":"2"}}\n{"content_block":{"type":"tool_use","id":"3"}}',
    );
    expect(await firstRun('t2')).toMatchObject({ tool_calls: 3, turns: 1 });
  });

  it('test_trace_result_only_output: a result line alone is one turn', async () => {
    await project([{ id: 't1', status: 'done' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'p', '{"type":"result","cost":{"input":1,"output":1}}');
    expect((await firstRun('t1')).turns).toBe(1);
  });

  it('test_trace_duration_boundary_values', async () => {
    const cases: Array<[string, number, string]> = [
      ['2026-02-18T10:00:00+00:00', 0, '0s'],
      ['2026-02-18T10:00:59+00:00', 59, '59s'],
      ['2026-02-18T10:01:00+00:00', 60, '1m 0s'],
      ['2026-02-18T10:59:59+00:00', 3599, '59m 59s'],
      ['2026-02-18T11:00:00+00:00', 3600, '1h 0m'],
    ];
    await project(
      cases.map(([completed], i) => ({ id: `t${i}`, status: 'done', started_at: '2026-02-18T10:00:00+00:00', completed_at: completed })),
    );
    for (const [i, [, secs, human]] of cases.entries())
      expect((await json(`t${i}`)).summary).toMatchObject({ duration_secs: secs, duration_human: human });
  });

  it('test_trace_agent_runs_sort_order', async () => {
    await project([{ id: 't1' }]);
    for (const ts of ['2026-02-18T12:00:00Z', '2026-02-18T10:00:00Z', '2026-02-18T11:00:00Z']) createAgentArchive('t1', ts, 'p', 'o');
    expect((await json('t1')).agent_runs.map((r) => r.timestamp)).toEqual([
      '2026-02-18T10:00:00Z',
      '2026-02-18T11:00:00Z',
      '2026-02-18T12:00:00Z',
    ]);
  });

  it('test_trace_various_statuses, test_trace_blocked_status, test_trace_abandoned_status, test_trace_in_progress_status and test_trace_all_six_statuses', async () => {
    const statuses = ['open', 'in-progress', 'done', 'failed', 'abandoned', 'blocked'];
    await project(statuses.map((status) => ({ id: `s-${status}`, status })));
    for (const status of statuses) expect(await text(`s-${status}`)).toContain(`Trace: s-${status} (${status})`);
  });

  it('test_trace_agent_archive_missing_output and _missing_prompt', async () => {
    await project([{ id: 't1' }, { id: 't2' }]);
    const a = join(paths.dir, 'log', 'agents', 't1', '2026-02-18T10:00:00Z');
    mkdirSync(a, { recursive: true });
    writeFileSync(join(a, 'prompt.txt'), 'only a prompt');
    const run = await firstRun('t1');
    expect(run.prompt_bytes).toBe(13);
    expect(run.output_bytes).toBeUndefined();
    const b = join(paths.dir, 'log', 'agents', 't2', '2026-02-18T10:00:00Z');
    mkdirSync(b, { recursive: true });
    writeFileSync(join(b, 'output.txt'), 'only output');
    expect(await firstRun('t2')).toMatchObject({ output_bytes: 11 });
    expect((await firstRun('t2')).prompt_bytes).toBeUndefined();
  });

  it('test_trace_agent_archive_empty_output and _empty_directory', async () => {
    await project([{ id: 't1' }, { id: 't2' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'prompt', '');
    const run = await firstRun('t1');
    expect([run.output_bytes, run.output_lines, run.turns, run.tool_calls]).toEqual([0, 0, undefined, undefined]);
    mkdirSync(join(paths.dir, 'log', 'agents', 't2', '2026-02-18T10:00:00Z'), { recursive: true });
    expect((await json('t2')).agent_runs).toHaveLength(1);
    expect((await json('t2')).summary.agent_run_count).toBe(1);
  });

  it('test_trace_operation_detail_truncation: a long detail is cut at 117 characters and ...', async () => {
    await project([{ id: 't1' }]);
    recordOp('edit', 't1', null, { note: 'z'.repeat(200) });
    const line = (await text('t1')).split('\n').find((l) => l.startsWith('    {"note"'));
    expect(line).toBe(`    ${JSON.stringify({ note: 'z'.repeat(200) }).slice(0, 117)}...`);
    // --ops-only shows the whole detail.
    expect(await text('t1', { opsOnly: true })).toContain('z'.repeat(200));
  });

  it('test_trace_summary_mode_excludes_content', async () => {
    await project([{ id: 't1' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'SECRET PROMPT TEXT', 'SECRET OUTPUT TEXT');
    const out = await text('t1');
    expect(out).not.toContain('SECRET PROMPT TEXT');
    expect(out).not.toContain('SECRET OUTPUT TEXT');
  });

  it('test_trace_json_no_tool_calls_or_turns_omitted', async () => {
    await project([{ id: 't1' }]);
    createAgentArchive('t1', '2026-02-18T10:00:00Z', 'p', 'plain text, no stream json');
    const out = await json('t1');
    expect('tool_calls' in (await firstRun('t1')) || 'turns' in (await firstRun('t1'))).toBe(false);
    expect('total_tool_calls' in out.summary || 'total_turns' in out.summary).toBe(false);
  });

  it('test_trace_operations_filtering_by_task_id and _excludes_global_and_other_tasks', async () => {
    await project([{ id: 't1' }, { id: 't2' }]);
    recordOp('add_task', 't1', null);
    recordOp('gc', null, null, { removed: [] });
    recordOp('add_task', 't2', null);
    recordOp('done', 't1', null);
    expect((await json('t1')).operations.map((o) => o.op)).toEqual(['add_task', 'done']);
    expect(readOperations(paths.dir)).toHaveLength(4);
  });

  it('test_trace_unparseable_timestamps_no_duration, _started_at_only, _completed_at_only', async () => {
    await project([
      { id: 'both', status: 'done', started_at: 'garbage', completed_at: 'also garbage' },
      { id: 'start', status: 'done', started_at: 'garbage', completed_at: '2026-02-18T10:00:00+00:00' },
      { id: 'end', status: 'done', started_at: '2026-02-18T10:00:00+00:00', completed_at: 'garbage' },
    ]);
    for (const id of ['both', 'start', 'end']) expect((await trace(id)).summary.duration_secs).toBeUndefined();
  });
});

describe('this app’s runs in the trace', () => {
  it('lists each run of the task with its executor, model, cost and where its prompt and output are', async () => {
    await project([{ id: 't1', status: 'done', started_at: '2026-02-18T10:00:00Z', completed_at: '2026-02-18T10:20:00Z' }]);
    await recordRun(
      store,
      {
        task: 't1',
        model: 'sonnet',
        startedAt: '2026-02-18T10:01:00Z',
        endedAt: '2026-02-18T10:19:00Z',
        cost: 0.42,
        tokensIn: 12000,
        tokensOut: 3000,
        prompt: 'Do t1\n',
        output: STREAM,
      },
      paths.runsDir,
    );
    const data = await trace('t1');
    expect(data.agent_runs).toHaveLength(1);
    const run = data.agent_runs[0] as TraceRun;
    expect(run).toMatchObject({
      agent_id: expect.stringMatching(/^agent-\d+$/),
      model: 'sonnet',
      state: 'done',
      cost_usd: 0.42,
      turns: 2,
      tool_calls: 2,
    });
    expect(run.prompt_path).toBe(join(paths.runsDir, run.agent_id as string, 'stdin'));
    expect(run.output_path).toBe(join(paths.runsDir, run.agent_id as string, 'stdout'));
    expect(data.summary).toMatchObject({ total_cost_usd: 0.42, total_tokens_in: 12000, total_tokens_out: 3000 });
    const out = traceText(data, {});
    expect(out).toContain(`    ${run.agent_id} · claude · sonnet · done · $0.4200 (12,000 in, 3,000 out)`);
    expect(out).toContain(`    Prompt file: ${run.prompt_path}`);
    expect(out).toContain(`    Output file: ${run.output_path}`);
  });

  it('adds the task’s messages and evaluations', async () => {
    await project([{ id: 't1', status: 'done' }]);
    await store.messages.send({ taskId: 't1', sender: 'user', body: 'use the v2 API', priority: 'urgent', agentId: null });
    await store.core.write(() =>
      store.evaluations.insert({
        task_id: 't1',
        agent_id: null,
        role_id: null,
        tradeoff_id: null,
        score: 0.9,
        dimensions: { correctness: 0.9 },
        notes: 'good',
        evaluator: 'reviewer',
        model: null,
        source: 'manual',
        timestamp: '2026-02-18T11:00:00Z',
      }),
    );
    const data: TaskTrace = await trace('t1');
    expect(data.messages.map((m) => m.body)).toEqual(['use the v2 API']);
    expect(data.evaluations[0]).toMatchObject({
      id: 'eval-t1-2026-02-18T11-00-00Z',
      task_id: 't1',
      score: 0.9,
      notes: 'good',
      source: 'manual',
    });
    const out = traceText(data, {});
    expect(out).toContain('Messages (1):\n  #1 ');
    expect(out).toContain('user [URGENT]: use the v2 API');
    expect(out).toContain('Evaluations (1):\n  2026-02-18T11:00:00Z score 0.90 by reviewer (manual): good');
  });

  it('counts lines as upstream does (a last newline ends a line)', () => {
    expect([lineCount(''), lineCount('a'), lineCount('a\n'), lineCount('a\nb'), lineCount('a\nb\n')]).toEqual([0, 1, 1, 2, 2]);
  });
});

describe('wg trace show --recursive and --timeline (upstream mod tests)', () => {
  const done = (id: string, after: string[] = [], more: Partial<Task> & Record<string, unknown> = {}) => ({
    id,
    status: 'done',
    after,
    started_at: '2026-02-20T10:00:00+00:00',
    completed_at: '2026-02-20T10:05:00+00:00',
    ...more,
  });

  it('test_collect_descendants_single_task, test_collect_descendants_chain, test_collect_descendants_diamond and test_collect_descendants_skips_internal_tasks', async () => {
    await project([
      done('root'),
      done('child', ['root']),
      done('grandchild', ['child']),
      done('assign-root', ['root'], { tags: ['assignment', 'agency'] }),
    ]);
    const tasks = await store.list();
    expect(descendantsOf(tasks, 'grandchild').map((t) => t.id)).toEqual(['grandchild']);
    expect(new Set(descendantsOf(tasks, 'root').map((t) => t.id))).toEqual(new Set(['root', 'child', 'grandchild']));
    await store.importJsonl(
      [done('left', ['root']), done('right', ['root']), done('merge', ['left', 'right'])]
        .map((l) => JSON.stringify({ kind: 'task', title: l.id, ...l }))
        .join('\n'),
    );
    expect(
      descendantsOf(await store.list(), 'left')
        .map((t) => t.id)
        .sort(),
    ).toEqual(['left', 'merge']);
  });

  it('test_detect_interventions_finds_manual_fail and test_detect_interventions_skips_agent_ops', () => {
    const log = new Map([['task-1', []]]);
    const ops = [
      { timestamp: '2026-02-20T10:00:00Z', op: 'fail', task_id: 'task-1', detail: { reason: 'wrong approach' } },
      { timestamp: '2026-02-20T10:01:00Z', op: 'fail', task_id: 'task-1', actor: 'agent-42', detail: { reason: 'compile error' } },
    ];
    const found = detectInterventions(ops, log);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'fail', detail: 'Task manually failed: wrong approach' });
  });

  it('finds the same interventions in this app’s task log (a person’s fail, abandon, retry)', () => {
    const log = new Map([
      [
        't',
        [
          { timestamp: '2026-02-20T10:00:00Z', actor: 'user', message: 'Task created' },
          { timestamp: '2026-02-20T10:01:00Z', actor: 'agent-3', message: 'Task failed: compile error' },
          { timestamp: '2026-02-20T10:02:00Z', actor: 'user', message: 'Task failed: wrong approach' },
          { timestamp: '2026-02-20T10:03:00Z', actor: 'user', message: 'Retry #1' },
          { timestamp: '2026-02-20T10:04:00Z', actor: 'coordinator', message: 'Abandoned: superseded' },
        ],
      ],
    ]);
    expect(detectInterventions([], log).map((i) => `${i.kind}: ${i.detail}`)).toEqual([
      'add_task: Task manually added',
      'fail: Task manually failed: wrong approach',
      'retry: Task retried (attempt 1)',
    ]);
  });

  it('test_compute_wall_clock', async () => {
    await project([
      done('t1', [], { started_at: '2026-02-20T10:00:00+00:00', completed_at: '2026-02-20T10:05:00+00:00' }),
      done('t2', [], { started_at: '2026-02-20T10:02:00+00:00', completed_at: '2026-02-20T10:10:00+00:00' }),
    ]);
    expect(wallClock(await store.list())).toBe(600);
  });

  it('test_run_recursive_basic and test_run_recursive_json', async () => {
    await project([done('root'), done('child', ['root'], { assigned: 'agent-1', artifacts: ['output.txt'] })]);
    const data = (await traceRecursive(store, paths, 'root')) as RecursiveTrace;
    expect(data).toMatchObject({ root_id: 'root', total_tasks: 2, wall_clock_secs: 300, wall_clock_human: '5m 0s' });
    expect(data.tasks.map((t) => t.id)).toEqual(['root', 'child']);
    expect(traceText(data, { recursive: true })).toBe(
      [
        'Recursive Trace: root (root)',
        'Tasks: 2',
        'Wall clock: 5m 0s',
        '',
        'root  (done)  [5m 0s]',
        '└→ child  (done)  [5m 0s]  (agent-1)  → output.txt',
        '',
        'Summary: 2 done',
      ].join('\n'),
    );
  });

  it('test_run_recursive_timeline', async () => {
    await project([
      done('root', [], { started_at: '2026-02-20T10:00:00+00:00', completed_at: '2026-02-20T10:01:00+00:00' }),
      done('c1', ['root'], { started_at: '2026-02-20T10:01:00+00:00', completed_at: '2026-02-20T10:03:00+00:00' }),
      done('c2', ['root'], { started_at: '2026-02-20T10:01:00+00:00', completed_at: '2026-02-20T10:04:00+00:00' }),
    ]);
    const out = traceText(await traceRecursive(store, paths, 'root'), { timeline: true });
    expect(out).toContain('Execution Timeline\nTotal wall clock: 4m 0s');
    expect(out).toContain('Max parallel: 2 | Total tasks: 3 | Events: 6');
    expect(out).toMatch(/ {6}\+0s {2}▶ {2}root started/);
    expect(out).toMatch(/\+1m 0s {2}✓ {2}root completed 1m 0s/);
  });

  it('test_run_recursive_nonexistent_task', async () => {
    await project([{ id: 't1' }]);
    await expect(() => traceRecursive(store, paths, 'nonexistent')).rejects.toThrow("task 'nonexistent' not found");
  });

  it('test_render_lanes_basic and test_render_lanes_empty', () => {
    expect(renderLanes(['t1', 't2', ''], 0, '▶')).toBe('▶│');
    expect(renderLanes([], null, '▶')).toBe('');
  });
});
