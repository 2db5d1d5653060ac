import type {
  DaySpend,
  HumanIntervention,
  OperationEntry,
  RecursiveTaskInfo,
  RecursiveTrace,
  RunSnapshot,
  SnapshotDiff,
  SnapshotRestore,
  SpendLine,
  SpendReport,
  TaskTrace,
  TimeStats,
  TraceExport,
  TraceImportResult,
  TraceResult,
  TraceRun,
  TraceSummary,
} from '../shared/history';
import { debugStatus } from '../core/graph/analysis/task-index';
import { statsDuration, traceDuration } from '../core/history/duration-text';

/* `wg trace`, `wg runs`, `wg spend` and `wg stats` for people, in upstream's words. */

const size = (bytes: number) => {
  const kb = bytes / 1024;
  return kb > 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb.toFixed(1)} KB`;
};

/** Upstream's format_number: thousands separated by commas. */
export function formatNumber(n: number): string {
  return String(Math.trunc(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const money = (usd: number) => `$${usd.toFixed(4)}`;

function header(trace: TaskTrace): string[] {
  const lines = [`Trace: ${trace.id} (${trace.status})`, `Title: ${trace.title}`];
  if (trace.assigned) lines.push(`Assigned: ${trace.assigned}`);
  if (trace.created_at) lines.push(`Created: ${trace.created_at}`);
  if (trace.started_at) lines.push(`Started: ${trace.started_at}`);
  if (trace.completed_at) lines.push(`Completed: ${trace.completed_at}`);
  return lines;
}

function summary(s: TraceSummary): string[] {
  const lines = ['', 'Summary:'];
  if (s.duration_human) lines.push(`  Duration: ${s.duration_human}`);
  lines.push(`  Operations: ${s.operation_count}`, `  Agent runs: ${s.agent_run_count}`);
  if (s.total_turns !== undefined) lines.push(`  Total turns: ${s.total_turns}`);
  if (s.total_tool_calls !== undefined) lines.push(`  Total tool calls: ${s.total_tool_calls}`);
  if (s.total_output_bytes !== undefined) lines.push(`  Total output: ${size(s.total_output_bytes)}`);
  if (s.total_cost_usd > 0 || s.total_tokens_in > 0) {
    lines.push(`  Cost: ${money(s.total_cost_usd)} (${formatNumber(s.total_tokens_in)} in, ${formatNumber(s.total_tokens_out)} out)`);
  }
  return lines;
}

function operationLine(entry: OperationEntry): string {
  return `  ${entry.timestamp} ${entry.op}${entry.actor ? ` (${entry.actor})` : ''}`;
}

function operations(ops: readonly OperationEntry[]): string[] {
  if (ops.length === 0) return ['Operations: (none)'];
  const lines = [`Operations (${ops.length}):`];
  for (const entry of ops) {
    lines.push(operationLine(entry));
    if (entry.detail === undefined || entry.detail === null) continue;
    const detail = JSON.stringify(entry.detail);
    lines.push(detail.length <= 120 ? `    ${detail}` : `    ${detail.slice(0, 117)}...`);
  }
  return lines;
}

function opsOnly(id: string, ops: readonly OperationEntry[]): string[] {
  if (ops.length === 0) return [`No operations recorded for task '${id}'`];
  const lines = [`Operations for '${id}' (${ops.length} entries):`, ''];
  for (const entry of ops) {
    lines.push(operationLine(entry));
    if (entry.detail !== undefined && entry.detail !== null) lines.push(`    ${JSON.stringify(entry.detail)}`);
  }
  return lines;
}

/** This app's run: who ran it, with what, how it ended, what it cost, and where its prompt and output are. */
function runFacts(run: TraceRun): string[] {
  const lines: string[] = [];
  if (run.agent_id) {
    const what = [run.agent_id, run.purpose !== 'task' ? `${run.purpose} run` : null, run.executor, run.model, run.state]
      .filter(Boolean)
      .join(' · ');
    const cost =
      run.cost_usd > 0 || run.tokens_in > 0
        ? ` · ${money(run.cost_usd)} (${formatNumber(run.tokens_in)} in, ${formatNumber(run.tokens_out)} out)`
        : '';
    lines.push(`    ${what}${cost}${run.reason && run.state !== 'done' ? ` — ${run.reason}` : ''}`);
  }
  if (run.prompt_path) lines.push(`    Prompt file: ${run.prompt_path}`);
  if (run.output_path) lines.push(`    Output file: ${run.output_path}`);
  return lines;
}

function runsSummary(runs: readonly TraceRun[]): string[] {
  if (runs.length === 0) return ['Agent runs: (none)'];
  const lines = [`Agent runs (${runs.length}):`];
  runs.forEach((run, i) => {
    lines.push(`  Run ${i + 1} [${run.timestamp}]`);
    if (run.output_bytes !== undefined) {
      lines.push(
        `    Output: ${(run.output_bytes / 1024).toFixed(1)} KB${run.output_lines !== undefined ? ` (${run.output_lines} lines)` : ''}`,
      );
    }
    if (run.turns !== undefined)
      lines.push(`    Turns: ${run.turns}${run.tool_calls !== undefined ? `, Tool calls: ${run.tool_calls}` : ''}`);
    else if (run.tool_calls !== undefined) lines.push(`    Tool calls: ${run.tool_calls}`);
    lines.push(...runFacts(run));
  });
  return lines;
}

/** Rust's `str::lines()`: no empty last line after a final newline. */
const linesOf = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));

function runsFull(runs: readonly TraceRun[]): string[] {
  if (runs.length === 0) return ['Agent runs: (none)'];
  const lines = [`Agent runs (${runs.length}):`];
  runs.forEach((run, i) => {
    lines.push('', `--- Run ${i + 1} [${run.timestamp}] ---`, ...runFacts(run));
    if (run.prompt !== undefined) {
      lines.push('', `  [Prompt] (${Buffer.byteLength(run.prompt)} bytes)`, ...linesOf(run.prompt).map((l) => `    ${l}`));
    }
    if (run.output !== undefined) {
      lines.push('', `  [Output] (${Buffer.byteLength(run.output)} bytes)`, ...linesOf(run.output).map((l) => `    ${l}`));
    }
  });
  return lines;
}

/** What this app records besides upstream's trace: the task's log, its messages, its evaluations. */
function ownRecords(trace: TaskTrace): string[] {
  const lines: string[] = [];
  if (trace.log.length > 0) {
    lines.push('', `Log (${trace.log.length}):`, ...trace.log.map((e) => `  ${e.timestamp}${e.actor ? ` [${e.actor}]` : ''} ${e.message}`));
  }
  if (trace.messages.length > 0) {
    lines.push(
      '',
      `Messages (${trace.messages.length}):`,
      ...trace.messages.map(
        (m) => `  #${m.id} ${m.timestamp} ${m.sender}${m.priority === 'urgent' ? ' [URGENT]' : ''}: ${m.body.split('\n')[0]}`,
      ),
    );
  }
  if (trace.evaluations.length > 0) {
    lines.push(
      '',
      `Evaluations (${trace.evaluations.length}):`,
      ...trace.evaluations.map(
        (e) =>
          `  ${e.timestamp} score ${e.score.toFixed(2)}${e.evaluator ? ` by ${e.evaluator}` : ''} (${e.source})${e.notes ? `: ${e.notes.split('\n')[0]}` : ''}`,
      ),
    );
  }
  return lines;
}

function taskTrace(trace: TaskTrace, input: Readonly<Record<string, unknown>>): string {
  if (input.full !== true && input.opsOnly === true) {
    const lines = opsOnly(trace.id, trace.operations);
    if (trace.log.length > 0)
      lines.push(
        '',
        `Log (${trace.log.length}):`,
        ...trace.log.map((e) => `  ${e.timestamp}${e.actor ? ` [${e.actor}]` : ''} ${e.message}`),
      );
    return lines.join('\n');
  }
  const runs = input.full === true ? runsFull(trace.agent_runs) : runsSummary(trace.agent_runs);
  return [...header(trace), ...summary(trace.summary), '', ...operations(trace.operations), '', ...runs, ...ownRecords(trace)].join('\n');
}

/** Upstream's label of a status in the tree and the timeline (waiting covers pending-validation). */
const label = (status: string) => (status === 'pending-validation' ? 'waiting' : status);

function tree(trace: RecursiveTrace): string[] {
  const tasks = new Map(trace.tasks.map((t) => [t.id, t]));
  const forward = new Map<string, string[]>();
  const reverse = new Map<string, string[]>();
  for (const task of trace.tasks) {
    for (const blocker of task.after) {
      forward.set(blocker, [...(forward.get(blocker) ?? []), task.id]);
      reverse.set(task.id, [...(reverse.get(task.id) ?? []), blocker]);
    }
  }
  for (const list of [...forward.values(), ...reverse.values()]) list.sort();
  const roots = trace.tasks
    .filter((t) => (reverse.get(t.id) ?? []).length === 0)
    .map((t) => t.id)
    .sort();
  const rendered = new Set<string>();
  const render = (id: string, prefix: string, last: boolean, root: boolean): string[] => {
    const connector = root ? '' : last ? '└→ ' : '├→ ';
    const task = tasks.get(id) as RecursiveTaskInfo;
    if (rendered.has(id)) return [`${prefix}${connector}${id}  (${label(task.status)}) ...`];
    rendered.add(id);
    const parents = reverse.get(id) ?? [];
    const fanIn = parents.length > 1 ? `  (← ${parents.join(', ')})` : '';
    const duration = task.duration_secs === null ? '' : `  [${traceDuration(task.duration_secs)}]`;
    const assigned = task.assigned ? `  (${task.assigned})` : '';
    const artifacts = task.artifacts.length > 0 ? `  → ${task.artifacts.join(', ')}` : '';
    const childPrefix = root ? prefix : last ? `${prefix}  ` : `${prefix}│ `;
    const lines = [`${prefix}${connector}${id}  (${label(task.status)})${duration}${assigned}${artifacts}${fanIn}`];
    for (const iv of task.interventions) lines.push(`${childPrefix}⚠ ${iv.kind} — ${iv.detail}`);
    const children = forward.get(id) ?? [];
    for (const [i, child] of children.entries()) lines.push(...render(child, childPrefix, i === children.length - 1, false));
    return lines;
  };
  const lines: string[] = [];
  roots.forEach((root, i) => {
    if (i > 0) lines.push('');
    lines.push(...render(root, '', true, true));
  });
  return lines;
}

function recursiveTree(trace: RecursiveTrace): string {
  const lines = [`Recursive Trace: ${trace.root_id} (${trace.root_title})`, `Tasks: ${trace.total_tasks}`];
  if (trace.wall_clock_human) lines.push(`Wall clock: ${trace.wall_clock_human}`);
  lines.push('', ...tree(trace), '');
  const count = (status: string) => trace.tasks.filter((t) => t.status === status).length;
  const parts = [
    [count('done'), 'done'],
    [count('in-progress'), 'in-progress'],
    [count('open'), 'open'],
    [count('incomplete'), 'incomplete'],
    [count('failed'), 'failed'],
  ]
    .filter(([n]) => (n as number) > 0)
    .map(([n, name]) => `${n} ${name}`);
  lines.push(`Summary: ${parts.join(', ')}`);
  const interventions = trace.tasks.reduce((n, t) => n + t.interventions.length, 0);
  if (interventions > 0) lines.push(`Human interventions: ${interventions}`);
  return lines.join('\n');
}

type TimelineEvent = { at: number; task: string } & (
  | { kind: 'start' }
  | { kind: 'end'; status: string }
  | { kind: 'intervention'; detail: string }
);

/** Upstream's render_lanes: a marker in the lane of the event, │ in the other busy ones. */
export function renderLanes(lanes: readonly string[], highlight: number | null, marker: string): string {
  const lastBusy = lanes.reduce((last, lane, i) => (lane !== '' ? i + 1 : last), 0);
  const width = Math.max(lastBusy, highlight === null ? 0 : highlight + 1);
  let out = '';
  for (let i = 0; i < Math.min(width, lanes.length); i++) out += i === highlight ? marker : lanes[i] !== '' ? '│' : ' ';
  return out;
}

function timeline(trace: RecursiveTrace): string {
  const lines = ['Execution Timeline'];
  if (trace.wall_clock_human) lines.push(`Total wall clock: ${trace.wall_clock_human}`);
  lines.push('');
  const events: TimelineEvent[] = [];
  const at = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));
  for (const task of trace.tasks) {
    if (!Number.isNaN(at(task.started_at))) events.push({ at: at(task.started_at), task: task.id, kind: 'start' });
    if (!Number.isNaN(at(task.completed_at))) events.push({ at: at(task.completed_at), task: task.id, kind: 'end', status: task.status });
  }
  for (const iv of trace.interventions as HumanIntervention[]) {
    if (!Number.isNaN(at(iv.timestamp))) events.push({ at: at(iv.timestamp), task: iv.task_id, kind: 'intervention', detail: iv.detail });
  }
  events.sort((a, b) => a.at - b.at);
  if (events.length === 0) {
    lines.push('(no execution data available)');
    return lines.join('\n');
  }
  const lanes: string[] = [];
  const laneOf = new Map<string, number>();
  const base = (events[0] as TimelineEvent).at;
  const durations = new Map(trace.tasks.map((t) => [t.id, t.duration_secs]));
  for (const event of events) {
    const time = `+${traceDuration(Math.trunc((event.at - base) / 1000))}`.padStart(8);
    if (event.kind === 'start') {
      let lane = lanes.indexOf('');
      if (lane === -1) {
        lanes.push('');
        lane = lanes.length - 1;
      }
      lanes[lane] = event.task;
      laneOf.set(event.task, lane);
      lines.push(`  ${time}  ${renderLanes(lanes, lane, '▶')}  ${event.task} started`);
    } else if (event.kind === 'end') {
      const lane = laneOf.get(event.task) ?? null;
      const marker = event.status === 'done' ? '✓' : event.status === 'failed' ? '✗' : '•';
      const duration = durations.get(event.task);
      lines.push(
        `  ${time}  ${renderLanes(lanes, lane, marker)}  ${event.task} completed${duration === null || duration === undefined ? '' : ` ${traceDuration(duration)}`}`,
      );
      if (lane !== null && lane < lanes.length) lanes[lane] = '';
    } else {
      const lane = laneOf.get(event.task) ?? null;
      lines.push(`  ${time}  ${renderLanes(lanes, lane, '⚠')}  ⚠ ${event.task} — ${event.detail}`);
    }
  }
  let running = 0;
  let most = 0;
  for (const event of events) {
    if (event.kind === 'start') most = Math.max(most, ++running);
    else if (event.kind === 'end') running = Math.max(0, running - 1);
  }
  lines.push('', `Max parallel: ${most} | Total tasks: ${trace.total_tasks} | Events: ${events.length}`);
  return lines.join('\n');
}

export function traceText(result: TraceResult, input: Readonly<Record<string, unknown>>): string {
  if ('root_id' in result) return input.timeline === true ? timeline(result) : recursiveTree(result);
  return taskTrace(result, input);
}

export function traceImportText(result: TraceImportResult, input: Readonly<Record<string, unknown>>): string {
  if (!result.dry_run) {
    return [
      `Imported ${result.task_count} tasks, ${result.evaluation_count} evaluations, ${result.operation_count} operations from '${result.source}'`,
      `Import directory: ${result.import_dir}`,
    ].join('\n');
  }
  const lines = [
    '=== Dry Run: wg trace import ===',
    `File:        ${typeof input.file === 'string' ? input.file : '-'}`,
    `Source:      ${result.source}`,
    `Visibility:  ${result.visibility}`,
    `Tasks:       ${result.task_count}`,
    `Evaluations: ${result.evaluation_count}`,
    `Operations:  ${result.operation_count}`,
  ];
  if (result.tasks.length > 0) {
    lines.push('', 'Tasks to import:', ...result.tasks.map((t) => `  ${t.id} - ${t.title} (${debugStatus(t.status as never)})`));
  }
  return lines.join('\n');
}

export function snapshotListText(snapshots: readonly RunSnapshot[]): string {
  if (snapshots.length === 0) return 'No run snapshots found.';
  const lines = ['Run snapshots:', ''];
  for (const s of snapshots) {
    lines.push(`  ${s.id} (${s.timestamp})`);
    if (s.model) lines.push(`    Model: ${s.model}`);
    if (s.filter) lines.push(`    Filter: ${s.filter}`);
    lines.push(`    Reset: ${s.reset_tasks.length} task(s), Preserved: ${s.preserved_tasks.length} task(s)`);
  }
  return lines.join('\n');
}

export function snapshotText(s: RunSnapshot): string {
  const lines = [`Run: ${s.id}`, `  Timestamp: ${s.timestamp}`];
  if (s.model) lines.push(`  Model: ${s.model}`);
  if (s.filter) lines.push(`  Filter: ${s.filter}`);
  lines.push(`  Reset tasks (${s.reset_tasks.length}):`, ...s.reset_tasks.map((id) => `    ${id}`));
  lines.push(`  Preserved tasks (${s.preserved_tasks.length}):`, ...s.preserved_tasks.map((id) => `    ${id}`));
  return lines.join('\n');
}

export function snapshotDiffText(diff: SnapshotDiff): string {
  if (diff.changes.length === 0) return `No differences between current graph and ${diff.run_id}`;
  const lines = [`Diff: current vs ${diff.run_id} (${diff.changes.length} change(s)):`, ''];
  for (const d of diff.changes) {
    if (d.change === 'status_changed') lines.push(`  ~ ${d.id} : ${d.snapshot_status ?? '?'} -> ${d.current_status ?? '?'}`);
    else if (d.change === 'removed') lines.push(`  - ${d.id} [${d.snapshot_status ?? '?'}]`);
    else lines.push(`  + ${d.id} [${d.current_status ?? '?'}]`);
  }
  return lines.join('\n');
}

export function snapshotRestoreText(r: SnapshotRestore): string {
  return [`Restored graph from ${r.restored_from}`, `  Safety snapshot: ${r.safety_snapshot} (in case you need to undo)`].join('\n');
}

const tokens = (l: SpendLine) => formatNumber(l.total_input_tokens + l.total_output_tokens);

function breakdown(title: string, rows: Array<[string, SpendLine]>): string[] {
  if (rows.length === 0) return [];
  return ['', title, ...rows.map(([name, l]) => `  ${name}: ${money(l.total_cost)} (${l.task_count} tasks, ${tokens(l)} tokens)`)];
}

export function spendText(result: SpendReport | DaySpend): string {
  if (!('daily_breakdown' in result)) {
    if (result.date === 'today') return 'No token usage recorded yet today.';
    return [
      "Today's spend:",
      `  Total cost: ${money(result.total_cost)}`,
      `  Input tokens: ${formatNumber(result.total_input_tokens)}`,
      `  Output tokens: ${formatNumber(result.total_output_tokens)}`,
      `  Tasks: ${result.task_count}`,
    ].join('\n');
  }
  return [
    '=== Token Spend Summary ===',
    `Total cost: ${money(result.total_cost)}`,
    `Total tokens: ${tokens(result)} (${formatNumber(result.total_input_tokens)} in, ${formatNumber(result.total_output_tokens)} out)`,
    `Tasks with usage: ${result.task_count}`,
    '',
    'Daily breakdown:',
    ...result.daily_breakdown.map((d) => `  ${d.date}: ${money(d.total_cost)} (${d.task_count} tasks, ${tokens(d)} tokens)`),
    ...breakdown(
      'By model:',
      result.by_model.map((m) => [m.model, m]),
    ),
    ...breakdown(
      'By agent:',
      result.by_agent.map((a) => [a.name ? `${a.name} (${a.agent.slice(0, 8)})` : a.agent, a]),
    ),
    ...breakdown(
      'By task:',
      result.by_task.map((t) => [t.title ? `${t.task_id} (${t.title})` : t.task_id, t]),
    ),
  ].join('\n');
}

export function statsText(s: TimeStats): string {
  return [
    'WG Time Statistics',
    '=========================',
    '',
    `  \u2191 Service uptime:     ${s.service_uptime_secs === null ? '(not running)' : statsDuration(s.service_uptime_secs)}`,
    `  \u03A3 Cumulative walltime: ${statsDuration(s.cumulative_agent_secs)} (${s.total_agents} agents total)`,
    s.active_agent_count > 0
      ? `  \u26A1 Active agent time:   ${statsDuration(s.active_agent_secs)} (${s.active_agent_count} agents)`
      : '  \u26A1 Active agent time:   (no active agents)',
  ].join('\n');
}

/** What upstream tells on standard error after writing a command's result to a file (`wg trace export -o FILE`). */
export function writtenNote(name: string, result: unknown, path: string): string | null {
  if (name !== 'trace:export') return null;
  const exported = result as TraceExport;
  return `Exported ${exported.tasks.length} tasks to ${path} (visibility: ${exported.metadata.visibility})`;
}
