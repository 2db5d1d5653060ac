import type {
  BlockerInfo,
  BlockingChainNode,
  Bottlenecks,
  CriticalPath,
  DependentsContext,
  GraphCheck,
  ResumeResult,
  StatusReport,
  TaskContext,
  TaskCost,
  WhyBlocked,
} from '../shared/insight';
import { debugStatus } from '../core/graph/analysis/task-index';
import type { Message } from '../shared/message';
import type { RunArchive } from '../shared/agent';
import type { ArtifactList, LoggedTask, TaskLog } from '../shared/ops/domains/task-ops';
import type { AbandonResult, Task } from '../shared/task';
import { DEFAULT_RETRY_BUDGET, retryBudget } from '../shared/retry-budget';
import { formatHours } from '../shared/durations';

/** Human output of upstream's everyday commands, line for line as upstream prints it. */

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cut = (text: string, max: number) => ([...text].length > max ? `${[...text].slice(0, max - 3).join('')}...` : text);

/** Reasons `wg status` shows, and tasks named for each; the rest are counted. */
const REASONS_SHOWN = 3;
const IDS_SHOWN = 5;

/**
 * Failed tasks by their reason, the latest first: one cause (a CLI not installed) often fails every task started
 * after it, and its line is what to act on, so it is said once, whole, with the tasks it stopped.
 */
function failedLines(failed: NonNullable<StatusReport['failed']>): string[] {
  const byReason = new Map<string, Array<{ task_id: string; title: string }>>();
  for (const f of failed) {
    const reason = f.reason ?? 'no reason given';
    byReason.set(reason, [...(byReason.get(reason) ?? []), f]);
  }
  const lines: string[] = [];
  for (const [reason, group] of [...byReason].slice(0, REASONS_SHOWN)) {
    const [only] = group;
    if (group.length === 1 && only) lines.push(`  ${only.task_id}  ${cut(only.title, 40)}: ${reason}`);
    else {
      const more = group.length > IDS_SHOWN ? ` and ${group.length - IDS_SHOWN} more` : '';
      lines.push(
        `  ${group
          .slice(0, IDS_SHOWN)
          .map((f) => f.task_id)
          .join(', ')}${more}: ${reason}`,
      );
    }
  }
  const left = [...byReason.values()].slice(REASONS_SHOWN).reduce((n, group) => n + group.length, 0);
  if (left > 0) lines.push(`  and ${left} more for other reasons (wg list --status failed)`);
  return lines;
}

export function statusText(s: StatusReport): string {
  const lines = [
    s.service.running ? `Service: running (PID ${s.service.pid}, ${s.service.uptime ?? '?'} uptime)` : 'Service: stopped',
    `Dispatcher: max=${s.coordinator.max_agents}, executor=${s.coordinator.executor}, model=${s.coordinator.model ?? 'default'}, poll=${s.coordinator.poll_interval}s`,
    '',
  ];
  if (s.agents.alive === 0 && s.agents.dead === 0) lines.push('Agents: none');
  else {
    lines.push(`Agents (${s.agents.alive} alive, ${s.agents.dead} dead):`);
    for (const a of s.agents.active)
      lines.push(`  ${a.id.padEnd(10)}  ${cut(a.task_id, 24).padEnd(24)}  ${a.uptime.padStart(5)}  ${a.status}`);
    if (s.agents.active.length === 0 && s.agents.alive > 0) lines.push(`  (${s.agents.alive} idle)`);
  }
  const t = s.tasks;
  lines.push(
    '',
    `Tasks: ${t.in_progress} in-progress, ${t.ready} ready, ${t.blocked} blocked${t.delayed > 0 ? `, ${t.delayed} delayed` : ''}${t.needs_you > 0 ? `, ${t.needs_you} need you` : ''}, ${t.done_total} done (today: ${t.done_today})`,
  );
  if (s.needs_you?.length) {
    lines.push('', `Needs you: ${s.needs_you.length} task(s) only a person can move on:`);
    const idWidth = Math.max(...s.needs_you.map((n) => n.task_id.length));
    for (const n of s.needs_you)
      lines.push(`  ${n.task_id.padEnd(idWidth)}  ${cut(n.title, 50)}: ${n.label}`, `  ${' '.repeat(idWidth)}  ${n.todo}`);
  }
  if (s.failed?.length)
    lines.push(
      '',
      `Failed: ${s.failed.length} task(s), stopped until retried (wg retry ID, or all at once: wg recover):`,
      ...failedLines(s.failed),
    );
  if (s.dangling_deps?.length) {
    lines.push('', `⚠ Attention: ${s.dangling_deps.length} task(s) have unresolved dependencies:`);
    for (const d of s.dangling_deps) lines.push(`  ${d.task_id} → ${d.missing_dep} (missing)`);
    lines.push("  Run 'wg check' for details.");
  }
  if (s.recent.length > 0) {
    lines.push('', 'Recent:');
    for (const r of s.recent) lines.push(`  ${r.time}  ${cut(r.title, 50)} [done]`);
  }
  return lines.join('\n');
}

export function contextText(c: TaskContext | DependentsContext): string {
  if ('dependents' in c) {
    const lines = [`Task: ${c.task_id}`, ''];
    if (c.artifacts.length > 0 || c.deliverables.length > 0) {
      lines.push('Outputs:');
      for (const d of c.deliverables) lines.push(`  ${d}${c.artifacts.includes(d) ? ' [produced]' : ' [expected]'}`);
      for (const a of c.artifacts) if (!c.deliverables.includes(a)) lines.push(`  ${a} [extra]`);
      lines.push('');
    }
    if (c.dependents.length === 0) lines.push("No tasks depend on this task's outputs.");
    else {
      lines.push('Tasks depending on outputs:');
      for (const d of c.dependents) lines.push(`  ${d.task_id} - ${d.title}`, ...d.needs.map((n) => `    needs: ${n}`));
    }
    return lines.join('\n');
  }
  const lines = [`Context for: ${c.task_id} - ${c.task_title}`, ''];
  if (c.declared_inputs.length > 0) {
    lines.push(
      'Declared inputs:',
      ...c.declared_inputs.map((i) => `  ${i}${c.missing_inputs.includes(i) ? ' [missing]' : ' [available]'}`),
      '',
    );
  }
  if (c.available_context.length === 0) lines.push('No artifacts available from dependencies yet.');
  else {
    lines.push('Available from dependencies:');
    for (const source of c.available_context) {
      const state = source.status === 'done' ? '[done]' : source.status === 'in-progress' ? '[in-progress]' : '[not done]';
      lines.push(`  ${source.task_id} ${state} ${source.task_title}`, ...source.artifacts.map((a) => `    - ${a}`));
      for (const [key, value] of Object.entries(source.results ?? {}))
        lines.push(`    ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  if (c.missing_inputs.length > 0)
    lines.push('', 'Missing inputs (not produced by dependencies):', ...c.missing_inputs.map((i) => `  ${i}`));
  return lines.join('\n');
}

export function blockedText(blockers: BlockerInfo[], id: string): string {
  if (blockers.length === 0) return `Task '${id}' has no blockers`;
  // A done task holds its dependents only while its agent's work is still to be merged (graph/analysis/blocking.ts).
  const status = (b: BlockerInfo) => (b.status === 'done' ? "Done, its agent's work not merged yet" : debugStatus(b.status));
  return [`Task '${id}' is blocked by:`, ...blockers.map((b) => `  ${b.id} - ${b.title} [${status(b)}]`)].join('\n');
}

function chainLines(node: BlockingChainNode, prefix: string, depth: number, lines: string[]): void {
  if (depth === 0) lines.push(node.id);
  else if (node.phantom) lines.push(`${prefix} \\-- blocked by: ${node.id} (DOES NOT EXIST — phantom dependency) <-- ROOT CAUSE`);
  else {
    const root = node.after.length === 0 && !['Failed', 'Abandoned'].includes(node.status) ? ' <-- ROOT CAUSE' : '';
    // A done task in the chain holds it only while its agent's work is still to be merged.
    const status = node.status === 'Done' ? "Done, its agent's work not merged yet" : node.status;
    lines.push(`${prefix} \\-- blocked by: ${node.id} (status: ${status})${root}`);
  }
  const childPrefix = depth === 0 ? '' : `${prefix}     `;
  for (const child of node.after) chainLines(child, childPrefix, depth + 1, lines);
}

export function whyBlockedText(w: WhyBlocked): string {
  const id = w.task.id;
  if (!w.is_blocked) return [`Task: ${id}`, `Status: ${debugStatus(w.task.status)}`, '', `${id} has no blockers.`].join('\n');
  const lines = [`Task: ${id}`, 'Status: blocked (transitively)', '', 'Blocking chain:', ''];
  chainLines(w.blocking_chain, '', 0, lines);
  const real = w.root_blockers.filter((r): r is Extract<typeof r, { title: string }> => !('phantom' in r));
  if (w.root_blockers.length > 0) {
    lines.push('', 'Root blockers (actionable now):');
    for (const r of w.root_blockers) {
      if ('phantom' in r) lines.push(`  - ${r.id}: DOES NOT EXIST (phantom dependency — fix with: wg edit ${id} --remove-after ${r.id})`);
      else
        lines.push(
          `  - ${r.id}: ${debugStatus(r.status)}${r.assigned ? `, assigned to ${r.assigned}` : ', unassigned'}${r.is_ready ? ', ready to start' : ''}`,
        );
    }
  }
  const total = plural(w.total_blockers, 'task');
  lines.push(
    '',
    real.length === 0
      ? `Summary: ${id} is blocked by ${total}.`
      : `Summary: ${id} is blocked by ${total}; unblock ${real.map((r) => r.id).join(' or ')} to make progress.`,
  );
  return lines.join('\n');
}

export function checkText(c: GraphCheck): string {
  const lines: string[] = [];
  if (c.cycles.length > 0)
    lines.push('Warning: Cycles detected (this is OK for recurring tasks):', ...c.cycles.map((cycle) => `  ${cycle.join(' -> ')}`));
  if (c.stale_assignments.length > 0) {
    lines.push(
      'Warning: Stale assignments (task is open but has an agent assigned — agent may have died):',
      ...c.stale_assignments.map((s) => `  ${s.task_id} (assigned to '${s.assigned}')`),
    );
  }
  if (c.stuck_blocked.length > 0) {
    lines.push(
      'Warning: Stuck blocked tasks (all dependencies are terminal but task is still blocked):',
      ...c.stuck_blocked.map((s) => `  ${s.task_id} (blocked by: ${s.after_ids.join(', ')})`),
    );
  }
  if (c.orphan_refs.length > 0) {
    lines.push('Error: Orphan references (dependencies on non-existent tasks):');
    for (const o of c.orphan_refs)
      lines.push(
        `  ${o.from} --[${o.relation}]--> ${o.to} (not found)`,
        ...(o.suggestion ? [`    → Did you mean '${o.suggestion}'?`] : []),
      );
  }
  if (c.wrong_blocker_counts.length > 0) {
    lines.push(
      "Error: Wrong readiness counts in graph.db (what holds each task back, kept by this app, disagrees with its dependencies: a bug; 'wg check --db --repair' recounts them):",
      ...c.wrong_blocker_counts.map((w) => `  ${w.task_id} (counted ${w.counted}, its dependencies give ${w.expected})`),
    );
  }
  if (c.structural_cycles.length > 0) {
    lines.push(
      `Structural cycles: ${c.structural_cycles.length} detected (via Tarjan's SCC on after edges)`,
      ...c.structural_cycles.map((s) => `  ${s.header} (${s.members.length} members, ${s.reducible ? 'reducible' : 'IRREDUCIBLE'})`),
    );
    const irreducible = c.structural_cycles.filter((s) => !s.reducible).length;
    if (irreducible > 0) lines.push(`Warning: ${irreducible} irreducible cycle(s) detected — these have multiple entry points`);
  }
  if (c.errors > 0) lines.push(`Found ${c.errors} error(s) and ${c.warnings} warning(s)`);
  else if (c.warnings > 0) lines.push(`Graph OK: ${c.node_count} nodes, ${c.warnings} warning(s)`);
  else lines.push(`Graph OK: ${c.node_count} nodes, no issues found`);
  return lines.join('\n');
}

export function criticalPathText(c: CriticalPath): string {
  if (c.critical_path.length === 0) {
    return [
      c.task_count === 0 && c.cycles_skipped.length === 0 && c.slack_analysis.length === 0
        ? 'No active tasks found.'
        : 'No critical path found (no active dependency chains).',
      ...(c.cycles_skipped.length ? ['', `Note: ${c.cycles_skipped.length} cycle(s) were skipped.`] : []),
    ].join('\n');
  }
  const lines = [`Critical path (${c.task_count} tasks, estimated ${formatHours(c.total_hours)} hours):`, ''];
  c.critical_path.forEach((t, i) => {
    const state = t.status === 'open' || t.status === 'in-progress' ? 'ready' : t.status;
    lines.push(`${i + 1}. [${state}] ${t.id}${t.hours !== null ? ` (${t.hours}h)` : ''}${t.after ? ` <- blocked by ${t.after}` : ''}`);
  });
  if (c.slack_analysis.length > 0)
    lines.push('', 'Slack analysis:', ...c.slack_analysis.map((s) => `  ${s.id}: ${formatHours(s.slack_hours)}h slack (${s.note})`));
  if (c.cycles_skipped.length > 0) lines.push('', `Note: ${c.cycles_skipped.length} cycle(s) were skipped in analysis.`);
  return lines.join('\n');
}

const BOTTLENECK_STATUS: Record<string, string> = {
  open: 'OPEN (not started!)',
  done: 'done (no longer blocking)',
  failed: 'FAILED (needs retry!)',
  'pending-validation': 'waiting',
  'pending-eval': 'pending-eval (awaiting evaluator)',
  'failed-pending-eval': 'failed-pending-eval (awaiting rescue eval)',
  incomplete: 'INCOMPLETE (needs retry!)',
};

export function bottlenecksText(b: Bottlenecks): string {
  if (b.bottlenecks.length === 0) return 'No bottlenecks found - no tasks are blocking other tasks.';
  const lines = ['Top bottlenecks by transitive impact:', ''];
  b.bottlenecks.forEach((row, i) => {
    lines.push(
      `${i + 1}. ${row.id}`,
      `   Directly before: ${row.direct_blocks} tasks`,
      `   Transitively before: ${row.transitive_before} tasks`,
      `   Status: ${BOTTLENECK_STATUS[row.status] ?? row.status}`,
    );
    if (row.assigned) lines.push(`   Assigned: @${row.assigned}`);
    if (row.recommendation) lines.push(`   RECOMMENDATION: ${row.recommendation}`);
    lines.push('');
  });
  return lines.join('\n').trimEnd();
}

export const costText = (c: TaskCost) =>
  `Total cost for '${c.task_id}' (including dependencies): $${c.total_cost.toFixed(2)}${c.spent_usd > 0 ? `\nSpent by their runs so far: $${c.spent_usd.toFixed(2)}` : ''}`;

/** Upstream's time of a message in `wg log`'s list: the part of its timestamp after the T, without the zone. */
function timeOf(timestamp: string): string {
  return timestamp.split('T')[1]?.split('+')[0]?.split('Z')[0] ?? timestamp;
}

/** The messages `wg log` hands an agent, as upstream's `run_add` of `wg log` prints them. */
function newMessagesText(messages: readonly Message[]): string {
  const lines = [`\u{1f4ec} You have ${messages.length} new message${messages.length === 1 ? '' : 's'}:`];
  for (const m of messages) {
    lines.push(`  #${m.id} [${timeOf(m.timestamp)}] ${m.sender}${m.priority === 'urgent' ? ' [URGENT]' : ''}`);
    for (const line of m.body.split('\n')) lines.push(`    ${line}`);
  }
  return lines.join('\n');
}

/** Upstream's preview of a long text: its first (or last) lines, and how many more there are. */
function preview(text: string, keep: number, from: 'start' | 'end'): string[] {
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  if (lines.length <= keep) return lines.map((l) => `    ${l}`);
  const shown = from === 'start' ? lines.slice(0, keep) : lines.slice(-keep);
  return [...shown.map((l) => `    ${l}`), `    ... (${lines.length - keep} more lines)`];
}

/** Upstream's `wg log ID --agent`: each attempt's prompt (its first 10 lines) and output (its last 20). */
function runArchiveText(id: string, runs: readonly RunArchive[]): string {
  if (runs.length === 0) return `No agent archives for task '${id}'`;
  const lines = [`Agent archives for '${id}' (${runs.length} attempt${runs.length === 1 ? '' : 's'}):`];
  runs.forEach((run, i) => {
    lines.push('', `--- Attempt ${i + 1} [${run.timestamp}] ${run.agent} ---`);
    const counts = (text: string) => `${Buffer.byteLength(text)} bytes, ${text.split('\n').length - (text.endsWith('\n') ? 1 : 0)} lines`;
    lines.push(
      ...(run.prompt === null ? ['  Prompt: (none)'] : [`  Prompt (${counts(run.prompt)}):`, ...preview(run.prompt, 10, 'start')]),
    );
    lines.push(...(run.output === null ? ['  Output: (none)'] : [`  Output (${counts(run.output)}):`, ...preview(run.output, 20, 'end')]));
  });
  return lines.join('\n');
}

export function logListText(result: LoggedTask | TaskLog | RunArchive[], actor?: string, id = ''): string {
  if (Array.isArray(result)) return runArchiveText(id, result);
  if ('kind' in result) {
    const added = `Added log entry to '${result.id}'${actor ? ` (${actor})` : ''}`;
    return result.new_messages?.length ? `${added}\n\n${newMessagesText(result.new_messages)}` : added;
  }
  if (result.log.length === 0) return `No log entries for task '${result.id}'`;
  return (
    [`Log entries for '${result.id}' (${result.title}):`, ''].join('\n') +
    '\n' +
    result.log
      .map((e) => `  ${e.timestamp} ${e.actor ? ` [${e.actor}]` : ''}\n    ${e.message}\n`)
      .join('\n')
      .trimEnd()
  );
}

/** Upstream's `wg publish` lines: one for --only, else the count downstream. */
export const publishText = (r: ResumeResult, only: boolean, wcc = false) =>
  only
    ? `Published '${r.task.id}' — task is now available for dispatch`
    : wcc
      ? `Published '${r.task.id}' and ${r.resumed.length - 1} task(s) in the weakly-connected component`
      : `Published '${r.task.id}' and ${r.resumed.length - 1} downstream task(s)`;

export const resumeText = (r: ResumeResult) =>
  r.resumed.length <= 1 ? `Resumed '${r.task.id}'` : `Resumed '${r.task.id}' and ${r.resumed.length - 1} downstream task(s)`;

/** What upstream's `wg abandon` prints. */
export function abandonText(r: AbandonResult, reason: string | undefined): string {
  if (r.already_abandoned) return `Task '${r.task.id}' is already abandoned`;
  return [
    `Marked '${r.task.id}' as abandoned${reason ? ` (${reason})` : ''}`,
    ...r.auto_abandoned.map((id) => `  Auto-abandoned: ${id}`),
  ].join('\n');
}

export const approveText = (t: Task) =>
  t.status === 'done' ? `Approved '${t.id}' — task is now done` : `${t.id}: ${t.status} — ${t.failure_reason ?? t.title}`;

export const rejectText = (r: { task: Task; rejections: number; max: number; failed: boolean }) =>
  `Rejected '${r.task.id}' (${r.rejections}/${r.max} rejections) — ${r.failed ? 'task failed' : 'reopened for re-dispatch'}`;

export const requeueText = (r: { task: Task; attempt: number; max: number; reason: string }) =>
  `Requeued '${r.task.id}' for triage (attempt ${r.attempt}/${r.max}): ${r.reason}`;

export const reclaimText = (t: Task, from: string) => `Reclaimed task '${t.id}' from '${from}' to '${t.assigned ?? '-'}'`;

/** Upstream's `wg incomplete` lines; the attempt limit is the task's retry budget (shared/retry-budget.ts). */
export function incompleteText(task: Task & { already_incomplete?: true }, reason: string | undefined): string {
  if (task.already_incomplete) return `Task '${task.id}' is already incomplete`;
  const why = reason ? ` (${reason})` : '';
  if (task.status === 'failed') return `Task '${task.id}' failed — retry exhausted after ${task.retry_count} attempts${why}`;
  const max = task.retry_limit ?? retryBudget(task.max_retries, DEFAULT_RETRY_BUDGET);
  const readyAfter = task.extra.ready_after;
  return [
    `Marked '${task.id}' as incomplete${why} (attempt ${task.retry_count}/${max > 0 ? max : '∞'})`,
    ...(typeof readyAfter === 'string' ? [`  Cooldown active — dispatchable after ${readyAfter}`] : []),
    "  Task will appear in 'wg ready' for re-dispatch",
  ].join('\n');
}

/** Upstream's `wg artifact` lines: registered (or already), removed, or the list against the deliverables. */
export function artifactText(
  result: (Task & { already_registered?: true }) | ArtifactList,
  input: Readonly<Record<string, unknown>>,
): string {
  const value = String(input.value ?? '');
  if ('kind' in result) {
    if (input.remove === true) return `Removed artifact '${value}' from task '${result.id}'`;
    return result.already_registered
      ? `Artifact '${value}' already registered for task '${result.id}'`
      : `Registered artifact '${value}' for task '${result.id}'`;
  }
  const lines = [`Task: ${result.task_id} - ${result.title}`, ''];
  if (result.deliverables.length > 0) {
    lines.push('Expected deliverables:');
    for (const d of result.deliverables) lines.push(`  ${d}${result.artifacts.includes(d) ? ' [produced]' : ''}`);
    lines.push('');
  }
  if (result.artifacts.length === 0) lines.push('No artifacts produced yet.');
  else {
    lines.push('Produced artifacts:');
    for (const a of result.artifacts) lines.push(`  ${a}${result.deliverables.includes(a) ? '' : ' [extra]'}`);
  }
  return lines.join('\n');
}
