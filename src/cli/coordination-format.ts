import type { AgentMatch, CoordinationStatus, DiscoveredTask, MatchReport, SuggestedTrajectory, Trajectory } from '../shared/coordination';
import { shortHash } from '../shared/agency';
import type { ResourcesReport } from '../shared/resources';
import { upstreamDuration } from '../shared/durations';

/** `wg coordinate` for people, as upstream's print_human_status; `maxParallel` caps the ready tasks shown. */
export function coordinateText(s: CoordinationStatus, maxParallel: number | undefined): string {
  const max = maxParallel ?? Number.POSITIVE_INFINITY;
  const lines = [`Progress: ${s.done_count}/${s.total_count} tasks done`, ''];
  if (s.in_progress.length > 0) {
    lines.push(`In Progress (${s.in_progress.length}):`);
    for (const t of s.in_progress) lines.push(`  ${t.id} - ${t.title}${t.assigned ? ` [${t.assigned}]` : ''}`);
    lines.push('');
  }
  if (s.ready.length === 0) {
    if (s.in_progress.length === 0 && s.blocked.length === 0) lines.push('All tasks complete!');
    else if (s.in_progress.length > 0) lines.push('No ready tasks. Waiting for in-progress tasks to complete.');
    else lines.push('No ready tasks. All remaining tasks are blocked.');
  } else {
    const shown = s.ready.slice(0, max);
    lines.push(`Ready for parallel execution (${shown.length}${s.ready.length > max ? ` of ${s.ready.length}` : ''} tasks):`, '');
    for (const t of shown) {
      lines.push(`Task: ${t.id}`, `  Title: ${t.title}`);
      const parts = [
        ...(t.estimate?.hours === undefined ? [] : [`${t.estimate.hours}h`]),
        ...(t.estimate?.cost === undefined ? [] : [`$${t.estimate.cost}`]),
      ];
      if (parts.length > 0) lines.push(`  Estimate: ${parts.join(', ')}`);
      lines.push(`  To claim: wg claim ${t.id}`, `  When done: wg done ${t.id}`, '');
    }
    lines.push("Run these in parallel, then re-run 'wg coordinate' to see what's next.");
  }
  if (s.blocked.length > 0) {
    lines.push('', `Blocked (${s.blocked.length}):`);
    for (const t of s.blocked) lines.push(`  ${t.id} - ${t.title} (waiting on: ${t.after.join(', ')})`);
  }
  return lines.join('\n');
}

/** Upstream's format_relative: "2h 5m ago", or the time of day of a completion stamped in the future. */
function relative(completedAt: string | null, nowMs: number): string {
  if (completedAt === null) return '';
  const at = Date.parse(completedAt);
  if (Number.isNaN(at)) return '';
  if (at > nowMs) return new Date(at).toISOString().slice(11, 16);
  return `${upstreamDuration(Math.floor((nowMs - at) / 1000))} ago`;
}

/** Upstream's last-log line: cut to 97 characters and "..." past 100. */
const logLine = (message: string) => (message.length > 100 ? `${message.slice(0, 97)}...` : message);

/**
 * `wg discover` for people, as upstream's: grouped by tag (in tag order), a task listed once, under its first tag in
 * that order; the untagged last.
 */
export function discoverText(tasks: readonly DiscoveredTask[], since: string, nowMs: number): string {
  if (tasks.length === 0) return `No tasks completed in the last ${since}.`;
  const byTag = new Map<string, DiscoveredTask[]>();
  for (const task of tasks) for (const tag of task.tags) byTag.set(tag, [...(byTag.get(tag) ?? []), task]);
  const groups: Array<[string, DiscoveredTask[]]> = [...byTag.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const untagged = tasks.filter((t) => t.tags.length === 0);
  if (untagged.length > 0) groups.push(['untagged', untagged]);
  const printed = new Set<string>();
  const lines = [`Recently completed (${tasks.length} tasks in last ${since}):`, ''];
  for (const [tag, members] of groups) {
    lines.push(`  [${tag}]`);
    for (const task of members) {
      if (printed.has(task.id)) continue;
      printed.add(task.id);
      lines.push(`    ${task.id} — ${task.title} (${relative(task.completed_at, nowMs)})`);
      for (const artifact of task.artifacts ?? []) lines.push(`      artifact: ${artifact}`);
      if (task.last_log) lines.push(`      last log: ${logLine(task.last_log.message)}`);
    }
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}

const TRUST_MARK: Record<AgentMatch['trust_level'], string> = { verified: ' [verified]', unknown: ' [unknown]', provisional: '' };

/** `wg match` for people, as upstream's (agents by their short id). */
export function matchText(r: MatchReport): string {
  const lines = [
    `Task: ${r.task.id} - ${r.task.title}`,
    `Required skills: ${r.task.skills.length === 0 ? '(none)' : r.task.skills.join(', ')}`,
    '',
  ];
  if (r.matches.length === 0) {
    lines.push(r.task.skills.length === 0 ? 'No agents registered.' : 'No agents with matching capabilities found.');
    return lines.join('\n');
  }
  lines.push('Capable agents:');
  for (const m of r.matches) {
    const marks = `${TRUST_MARK[m.trust_level]}${m.available ? '' : ' [BUSY]'}`;
    const head = `  ${shortHash(m.agent_id)} - ${m.agent_name}`;
    if (r.task.skills.length === 0) lines.push(`${head}${marks}`);
    else if (m.missing_skills.length === 0) lines.push(`${head} (all skills matched)${marks}`);
    else lines.push(`${head} (missing: ${m.missing_skills.join(', ')})${marks}`);
  }
  return lines.join('\n');
}

const STEP_MARK: Record<string, string> = {
  done: ' [done]',
  'in-progress': ' [in-progress]',
  failed: ' [failed]',
  abandoned: ' [abandoned]',
};

/** `wg trajectory TASK` for people, as upstream's run. */
function trajectoryText(t: Trajectory): string {
  const lines = [`Trajectory from: ${t.root_task}`, ...(t.total_hours === null ? [] : [`Total estimated: ${t.total_hours}h`]), ''];
  const maxDepth = Math.max(0, ...t.steps.map((s) => s.depth));
  for (const step of t.steps) {
    const indent = '  '.repeat(step.depth);
    lines.push(`${indent}${step.id} - ${step.title}${step.hours === null ? '' : ` (${step.hours}h)`}${STEP_MARK[step.status] ?? ''}`);
    if (step.receives.length > 0) lines.push(`${indent}  ← receives: ${step.receives.join(', ')}`);
    if (step.produces.length > 0 && step.depth < maxDepth) lines.push(`${indent}  → produces: ${step.produces.join(', ')}`);
  }
  lines.push('', `Claim order: ${t.claim_order.join(' → ')}`);
  return lines.join('\n');
}

/** `wg trajectory --actor A` for people, as upstream's suggest_for_actor. */
function suggestionsText(suggestions: readonly SuggestedTrajectory[], actor: string): string {
  const lines = [`Suggested trajectories for: ${actor}`, ''];
  if (suggestions.length === 0) lines.push('No suitable trajectories found.');
  suggestions.forEach((t, i) => {
    lines.push(
      `${i + 1}. ${t.root_task} → ${t.steps} tasks${t.total_hours === null ? '' : ` (${t.total_hours}h total)`} [score: ${t.score}]`,
      `   Path: ${t.claim_order.join(' → ')}`,
    );
  });
  return lines.join('\n');
}

export const trajectoryOrSuggestionsText = (r: Trajectory | SuggestedTrajectory[], actor: unknown): string =>
  Array.isArray(r) ? suggestionsText(r, String(actor)) : trajectoryText(r);

/** Upstream's format_amount: a whole number, `$` before US dollars, else the unit after. */
export function amountText(amount: number, unit: string | null): string {
  const whole = amount.toFixed(0);
  if (unit === 'usd' || unit === 'USD' || unit === '$') return `$${whole}`;
  return unit === null ? whole : `${whole} ${unit}`;
}

/** `wg resources` for people, as upstream's print_human_output: those within budget, then the alerts. */
export function resourcesText(r: ResourcesReport): string {
  if (r.resources.length === 0) return 'No resources with capacity defined.\nAdd resources with --available to track utilization.';
  const lines = ['Resource Utilization:', ''];
  for (const u of r.resources.filter((x) => !x.over_budget)) {
    lines.push(
      `  ${u.name ?? u.id} (${amountText(u.available, u.unit)} available)`,
      `    Committed (open tasks): ${amountText(u.committed, u.unit)} (${u.committed_percent.toFixed(0)}%)`,
      `    Spent (done tasks): ${amountText(u.spent, u.unit)}`,
      `    Remaining: ${amountText(u.remaining, u.unit)}`,
      '',
    );
  }
  for (const u of r.resources.filter((x) => x.over_budget)) {
    lines.push(
      `  ALERT: ${u.name ?? u.id} (${amountText(u.available, u.unit)} available)`,
      `    Committed: ${amountText(u.committed, u.unit)} (${u.committed_percent.toFixed(0)}% - OVER BUDGET)`,
    );
    if (u.tasks_at_risk.length > 0) lines.push(`    Tasks at risk: ${u.tasks_at_risk.join(', ')}`);
    lines.push('');
  }
  return lines.join('\n').trimEnd();
}
