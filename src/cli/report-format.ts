import type {
  AgingReport,
  CleanupMetrics,
  ForecastReport,
  HealthReport,
  StructureReport,
  VelocityReport,
  WorkloadReport,
} from '../shared/reports';
import { shortHash } from '../shared/agency';
import { debugStatus } from '../core/graph/analysis/task-index';

/** Upstream's human output of its further reports (`wg velocity`, `aging`, `workload`, `forecast`, `structure`, `analyze`, `metrics`). */

const fixed0 = (n: number) => n.toFixed(0);
const plural = (n: number) => (n === 1 ? '' : 's');

/** A velocity bar 25 wide (upstream velocity's make_bar): rounded to the busiest week, marked when below average. */
export function velocityBar(value: number, max: number, belowAverage: boolean): string {
  const length = max > 0 ? Math.round((value / max) * 25) : 0;
  const bar = `[${'|'.repeat(length)}${' '.repeat(25 - length)}]`;
  return belowAverage && value > 0 ? `${bar} [below average]` : bar;
}

export function velocityText(v: VelocityReport): string {
  const lines = [`Completion Velocity (last ${v.weeks.length * 7} days):`, ''];
  const max = Math.max(0, ...v.weeks.map((w) => w.tasks_completed));
  for (const week of v.weeks) {
    const below = week.tasks_completed > 0 && week.tasks_completed < v.average_tasks_per_week * 0.7;
    const hours = week.hours_completed > 0 ? ` (${fixed0(week.hours_completed)}h)` : '';
    lines.push(`  Week ${week.week_number}: ${week.tasks_completed} tasks${hours} ${velocityBar(week.tasks_completed, max, below)}`);
  }
  lines.push(
    '',
    `  Average: ${v.average_tasks_per_week.toFixed(1)} tasks/week (${fixed0(v.average_hours_per_week)}h/week)`,
    `  Trend: ${v.trend}`,
  );
  if (v.open_tasks > 0) {
    lines.push('', 'At current velocity:');
    if (v.weeks_to_clear !== null) {
      const w = v.weeks_to_clear;
      const when = w < 1 ? 'less than a week' : w < 2 ? '~1 week' : `~${fixed0(w)} weeks`;
      const hours = v.open_hours > 0 ? ` (${fixed0(v.open_hours)}h)` : '';
      lines.push(`  Open tasks (${v.open_tasks})${hours}: ${when} to clear`);
    } else lines.push(`  Open tasks (${v.open_tasks}): unable to estimate (no recent completions)`);
  }
  if (v.tasks_without_timestamp > 0)
    lines.push('', `Note: ${v.tasks_without_timestamp} completed task(s) have no timestamp and are not included in velocity calculation.`);
  return lines.join('\n');
}

/** An age bar (upstream aging's make_bar): rounded up, so a bucket with any task shows; spaces alone when nothing is counted. */
export function agingBar(count: number, max: number, width: number): string {
  if (max === 0) return ' '.repeat(width);
  const filled = Math.min(width, count > 0 ? Math.ceil((count / max) * width) : 0);
  return `[${'|'.repeat(filled)}${' '.repeat(width - filled)}]`;
}

export function agingText(a: AgingReport): string {
  const lines = ['Task Age Distribution:', ''];
  const max = Math.max(0, ...a.distribution.map((d) => d.count));
  for (const d of a.distribution) {
    const warning = d.warning_level ? ` [${d.warning_level}]` : '';
    lines.push(`  ${d.bucket.padStart(12)}: ${String(d.count).padStart(3)} tasks  ${agingBar(d.count, max, 25)}${warning}`);
  }
  if (a.tasks_with_unknown_age > 0) lines.push('', `  (${a.tasks_with_unknown_age} tasks with unknown age - missing created_at)`);
  const who = (assigned: string | null) => (assigned ? `@${assigned}` : 'unassigned');
  if (a.oldest_tasks.length > 0) {
    lines.push('', 'Oldest open tasks:');
    a.oldest_tasks.forEach((t, i) => {
      lines.push(
        `  ${i + 1}. ${t.id} (${t.age_days} days) - ${who(t.assigned)} - blocked by: ${t.after.length ? t.after.join(', ') : 'nothing'}`,
      );
    });
  }
  if (a.stale_in_progress.length > 0) {
    lines.push('', 'Stale in-progress tasks (started > 14 days ago):');
    for (const t of a.stale_in_progress) lines.push(`  - ${t.id} (started ${t.started_days_ago} days ago) - ${who(t.assigned)}`);
  }
  return lines.join('\n');
}

export function workloadText(w: WorkloadReport): string {
  if (w.agents.length === 0 && w.unassigned_count === 0) return 'No tasks or agents found.';
  const lines = ['Agent Workload (open + in-progress tasks):', ''];
  if (w.agents.length === 0) lines.push('  No agents defined.');
  for (const agent of w.agents) {
    lines.push(
      `  ${agent.name} (${shortHash(agent.id)})`,
      `    Assigned: ${agent.assigned_count} task${plural(agent.assigned_count)} (${fixed0(agent.assigned_hours)}h estimated)`,
      `    In progress: ${agent.in_progress_count} task${plural(agent.in_progress_count)}`,
    );
    if (agent.capacity !== null) lines.push(`    Capacity: ${fixed0(agent.capacity)}h/week`);
    if (agent.load_percent !== null)
      lines.push(`    Load: ${fixed0(agent.load_percent)}%${agent.is_overloaded ? ' [WARNING: overloaded]' : ''}`);
    else if (agent.capacity === null) lines.push('    Load: N/A (no capacity set)');
    lines.push('');
  }
  lines.push(`Unassigned tasks: ${w.unassigned_count}`);
  if (w.ready_unassigned_count > 0) lines.push(`  Ready & unassigned: ${w.ready_unassigned_count} (potential parallelization)`);
  return lines.join('\n');
}

export function forecastText(f: ForecastReport): string {
  const r = f.remaining_work;
  const lines = [
    'Project Completion Forecast:',
    '',
    'Remaining work:',
    `  Open tasks: ${r.open_tasks} (${fixed0(r.open_hours)}h estimated)`,
    `  Blocked tasks: ${r.blocked_tasks} (${fixed0(r.blocked_hours)}h estimated)`,
    `  In progress: ${r.in_progress_tasks} (${fixed0(r.in_progress_hours)}h estimated)`,
    `  Total: ${fixed0(r.total_hours)}h`,
    '',
  ];
  if (r.total_hours === 0) {
    lines.push('All tasks done or no estimates available.');
    if (!f.has_estimates) lines.push('', 'Note: No hour estimates on tasks. Add estimates with --hours flag.');
    return lines.join('\n');
  }
  lines.push('Scenarios:', '');
  if (!f.has_velocity_data)
    lines.push('  Unable to calculate completion dates - no velocity data.', '  Complete some tasks to establish velocity.', '');
  else {
    for (const s of f.scenarios) lines.push(`  ${s.name}:`, `    Completion: ${s.completion_date ?? 'Unable to estimate'}`);
    lines.push('', `Current velocity: ${f.velocity_hours_per_week.toFixed(1)}h/week`, '');
  }
  const path = f.critical_path?.path ?? [];
  if (f.critical_path && path.length > 1) {
    const shown = path.length <= 5 ? path.join(' -> ') : `${path.slice(0, 3).join(' -> ')} -> ... -> ${path[path.length - 1]}`;
    lines.push(`Critical path (${fixed0(f.critical_path.total_hours)}h): ${shown}`, '');
  }
  if (f.blockers.length > 0) {
    lines.push('Blockers that could delay:');
    for (const b of f.blockers) {
      const hours = b.hours_remaining !== null ? `${fixed0(b.hours_remaining)}h remaining` : 'no estimate';
      const status = b.status === 'in-progress' || b.status === 'blocked' ? `, ${b.status}` : '';
      lines.push(`  - ${b.id} (${hours}${status}, blocks ${b.tasks_blocked} tasks)`);
    }
  }
  return lines.join('\n').trimEnd();
}

export function structureText(s: StructureReport): string {
  if (s.entry_points.length === 0 && s.dead_ends.length === 0 && s.high_impact_roots.length === 0) return 'No tasks in graph.';
  const lines = [
    `Entry points (${s.entry_points.length} tasks):`,
    s.entry_points.length ? `  ${s.entry_points.join(', ')}` : '  (none)',
    '',
  ];
  lines.push(`Dead ends (${s.dead_ends.length} tasks):`);
  if (s.dead_ends.length === 0) lines.push('  (none)');
  for (const d of s.dead_ends) {
    if (d.expected) lines.push(`  ${d.id} (expected - final deliverable)`);
    else if (d.status === 'open' || d.status === 'incomplete') lines.push(`  ${d.id} (WARNING: no dependents, status=open)`);
    else lines.push(`  ${d.id} (status=${debugStatus(d.status)})`);
  }
  lines.push('', 'High-impact roots (blocking 5+ tasks transitively):');
  if (s.high_impact_roots.length === 0) lines.push('  (none)');
  for (const r of s.high_impact_roots) lines.push(`  ${r.id}: ${r.transitive_dependents} tasks depend on this`);
  return lines.join('\n');
}

const INDICATOR = { ok: '[OK]', warning: '[WARNING]', critical: '[CRITICAL]' } as const;
const ACTIONS: Record<string, string> = {
  assign_and_start: 'Assign and start',
  check_on: 'Check on',
  review: 'Review',
  redistribute: 'Redistribute tasks from',
  fix_structural: 'Fix',
};

export function analyzeText(h: HealthReport): string {
  const s = h.summary;
  const lines = [
    '=== WG Health Report ===',
    '',
    'SUMMARY',
    `  Total tasks: ${s.total_tasks} (${s.open} open, ${s.in_progress} in-progress, ${s.done} done, ${s.blocked} blocked)`,
    `  Ready to start: ${s.ready} tasks`,
  ];
  if (s.estimated_hours > 0 || s.estimated_cost > 0)
    lines.push(`  Estimated remaining: ${fixed0(s.estimated_hours)}h / $${fixed0(s.estimated_cost)}`);
  lines.push('', 'STRUCTURAL HEALTH');
  for (const issue of h.structural.issues) {
    lines.push(`  ${INDICATOR[issue.severity]} ${issue.message}`);
    const details = issue.details ?? [];
    for (const detail of details.slice(0, 3)) lines.push(`      - ${detail}`);
    if (details.length > 3) lines.push(`      ... and ${details.length - 3} more`);
  }
  lines.push('');
  if (h.bottlenecks.length > 0) {
    lines.push('BOTTLENECKS');
    // Upstream lists only the ones that are a problem, under the heading it prints for any.
    for (const b of h.bottlenecks.filter((row) => row.severity !== 'ok')) {
      const status =
        b.status === 'in-progress' && b.days_in_progress !== undefined
          ? `in-progress for ${b.days_in_progress} days`
          : b.status === 'incomplete'
            ? 'incomplete (needs retry)'
            : b.status === 'pending-validation'
              ? 'waiting'
              : b.status;
      lines.push(
        `  ${INDICATOR[b.severity]} ${b.id}: blocks ${b.transitive_before} tasks, status=${status}, ${b.assigned ? `@${b.assigned}` : 'unassigned'}`,
      );
    }
    lines.push('');
  }
  if (h.workload.total_actors > 0) {
    lines.push('WORKLOAD', `  [OK] ${h.workload.balanced_actors}/${h.workload.total_actors} actors have balanced workload`);
    for (const actor of h.workload.overloaded) {
      if (actor.load_percent !== null) lines.push(`  [WARNING] @${actor.id} at ${fixed0(actor.load_percent)}% capacity`);
    }
    lines.push('');
  }
  if (h.aging.old_open_count > 0 || h.aging.stale_in_progress_count > 0) {
    lines.push('AGING');
    if (h.aging.old_open_count > 0) lines.push(`  [WARNING] ${h.aging.old_open_count} task(s) open > 3 months`);
    if (h.aging.stale_in_progress_count > 0) lines.push(`  [WARNING] ${h.aging.stale_in_progress_count} task(s) in-progress > 14 days`);
    lines.push('');
  }
  if (h.recommendations.length > 0) {
    lines.push('RECOMMENDATIONS');
    for (const r of h.recommendations)
      lines.push(`  ${r.priority}. ${ACTIONS[r.action] ?? r.action}${r.task ? ` ${r.task}` : ''} (${r.reason})`);
  }
  return lines.join('\n').trimEnd();
}

/** Bytes as upstream's format_bytes: whole bytes, else one decimal of the largest unit under 1024. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit++;
  }
  return unit === 0 ? `${size.toFixed(0)}${units[0]}` : `${size.toFixed(1)}${units[unit]}`;
}

export function metricsText(m: CleanupMetrics): string {
  const total = m.cleanup_success + m.cleanup_failure;
  const lines = [
    '=== WG Cleanup Metrics ===',
    '',
    'Cleanup Operations:',
    `  ✓ Successful: ${m.cleanup_success}`,
    `  ✗ Failed:     ${m.cleanup_failure}`,
    `  📊 Total:     ${total}`,
  ];
  if (total > 0) lines.push(`  📈 Success Rate: ${m.success_rate_percent.toFixed(1)}%`);
  lines.push(
    '',
    'Cleanup Types:',
    `  🔥 Dead Agents: ${m.dead_agent_cleanups}`,
    `  👻 Orphaned:    ${m.orphaned_cleanups}`,
    `  🌿 Recovery Branches: ${m.recovery_branches}`,
    '',
  );
  const t = m.timing;
  if (t.timed_operations > 0) {
    lines.push(
      'Timing Statistics:',
      `  ⏱️  Average Duration: ${t.avg_cleanup_duration_ms.toFixed(1)}ms`,
      `  ⚡ Fastest:          ${t.min_cleanup_duration_ms}ms`,
      `  🐌 Slowest:          ${t.max_cleanup_duration_ms}ms`,
      `  🔢 Total Operations: ${t.timed_operations}`,
      '',
      'Resource Recovery:',
      `  📁 Worktrees Removed: ${t.resource_stats.worktrees_removed}`,
      `  🔗 Symlinks Cleaned:  ${t.resource_stats.symlinks_cleaned}`,
      `  📂 Directories:       ${t.resource_stats.directories_removed}`,
      `  🌳 Branches Pruned:   ${t.resource_stats.branches_pruned}`,
    );
    if (t.resource_stats.disk_space_recovered_bytes > 0)
      lines.push(`  💾 Disk Space Recovered: ${formatBytes(t.resource_stats.disk_space_recovered_bytes)}`);
  } else {
    // No clean-up's duration is recorded here; what was removed is still counted.
    lines.push('No cleanup timing data available.', `Worktrees removed: ${t.resource_stats.worktrees_removed}`);
  }
  return lines.join('\n');
}
