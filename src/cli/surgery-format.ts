import type { RecoverReport } from '../shared/recover';
import type { ReplayReport, ResetReport } from '../shared/surgery';
import type { Task } from '../shared/task';

/** Upstream's words for `wg insert`, `wg rescue` and `wg reset`. */

const POSITION_NAMES: Record<string, string> = { before: 'Before', after: 'After', parallel: 'Parallel' };

export function insertText(task: Task, input: Readonly<Record<string, unknown>>): string {
  const position = String(input.position ?? '').toLowerCase();
  return `Inserted task '${task.id}' (${POSITION_NAMES[position] ?? position} ${String(input.target)}).`;
}

export function rescueText(task: Task, input: Readonly<Record<string, unknown>>): string {
  return `Rescue task '${task.id}' created (supersedes '${String(input.target)}').`;
}

const DIRECTION_NAMES: Record<string, string> = { forward: 'Forward', backward: 'Backward', both: 'Both' };

export function resetText(report: ResetReport): string {
  const lines = [
    `wg reset — seeds=${report.seeds.join(',')}, direction=${DIRECTION_NAMES[report.direction] ?? report.direction}, closure=${report.closure.length} task(s), meta-to-strip=${report.meta_to_strip.length}`,
    ...report.closure.map((id) => `  • ${id}`),
  ];
  if (report.meta_to_strip.length > 0)
    lines.push('  meta tasks that would be stripped:', ...report.meta_to_strip.map((id) => `    - ${id}`));
  lines.push(
    report.was_dry_run
      ? '(dry run — no changes applied; drop --dry-run to execute)'
      : `✓ reset ${report.reset_count} task(s), stripped ${report.stripped_count} meta task(s)`,
  );
  return lines.join('\n');
}

/** Upstream's print_plan (`wg recover`), and what was applied. */
export function recoverText(report: RecoverReport): string {
  const lines = [
    `=== wg recover: ${report.matching} matching tasks ===`,
    `User tasks (will retry): ${report.user_retries.length}`,
    `Agency followups (${report.keep_agency ? 'kept' : 'will abandon, auto-recreate'}): ${report.agency_abandons.length}`,
    `Skipped (max-attempts exceeded): ${report.skipped.length}`,
  ];
  if (report.user_retries.length > 0) {
    lines.push('', 'User-task changes:');
    for (const e of report.user_retries)
      lines.push(`  ${e.id.padEnd(32)} attempt #${e.attempt_after}${e.model_change ? `  model→ ${e.model_change}` : ''}`);
  }
  if (report.agency_abandons.length > 0) lines.push('', 'Agency followups:', ...report.agency_abandons.map((e) => `  ${e.id}`));
  if (report.skipped.length > 0) {
    lines.push('', 'Skipped:');
    for (const e of report.skipped)
      lines.push(`  ${e.id.padEnd(32)} attempt #${e.attempt_after} — max-attempts (${report.max_attempts}) exceeded`);
  }
  if (!report.applied) lines.push('', 'Apply with --yes');
  else if (report.user_retries.length === 0 && report.agency_abandons.length === 0) lines.push('', 'Nothing to do.');
  else lines.push('', `Applied: ${report.user_retries.length} retried, ${report.agency_abandons.length} abandoned`);
  return lines.join('\n');
}

/** Upstream's words for `wg replay`: its plan (--plan-only), nothing to do, or what it reset. */
export function replayText(report: ReplayReport): string {
  if (report.plan_only) {
    const lines = ['Replay plan (dry run — no changes will be made):', ''];
    if (report.model !== undefined) lines.push(`  Model override: ${report.model}`);
    lines.push(`  Tasks to reset (${report.reset_tasks.length}):`);
    for (const id of report.reset_tasks) {
      const score = report.scores[id];
      lines.push(`    ${id} [${report.statuses[id] ?? ''}]${score !== undefined ? ` (score: ${score.toFixed(2)})` : ''}`);
    }
    lines.push(`  Tasks preserved (${report.preserved_tasks.length}):`);
    for (const id of report.preserved_tasks) lines.push(`    ${id} [${report.statuses[id] ?? ''}]`);
    return lines.join('\n');
  }
  if (report.reset_tasks.length === 0) return 'No tasks match the replay criteria. Nothing to replay.';
  return [
    `Replay started: ${report.run_id}`,
    `  Snapshot saved to runs/${report.run_id}/ (wg runs restore ${report.run_id} puts the graph back)`,
    ...(report.model !== undefined ? [`  Model override: ${report.model}`] : []),
    `  Reset ${report.reset_tasks.length} task(s):`,
    ...report.reset_tasks.map((id) => `    ${id}`),
    `  Preserved ${report.preserved_tasks.length} task(s)`,
  ].join('\n');
}
