import type { OrphanedTask, ReapResult, SweepResult } from '../shared/recovery';

/** `wg reap` for people, as upstream's print_results (and which dead runs stayed, and why). */
export function reapText(r: ReapResult): string {
  const lines: string[] = [];
  if (r.count === 0) lines.push('No agents to reap.');
  else {
    lines.push(
      r.dry_run ? `Would reap ${r.count} agent(s):` : `Reaped ${r.count} agent(s) (${r.dead} dead, ${r.done} done, ${r.failed} failed)`,
    );
    for (const run of r.agents) lines.push(`  ${run.id} [${run.status}] — task '${run.task_id}'`);
  }
  if (r.still_holding)
    lines.push(
      `Kept ${r.still_holding.length} dead agent(s) whose task is still claimed by them (${r.still_holding.join(', ')}): 'wg sweep' requeues those tasks first.`,
    );
  return lines.join('\n');
}

const orphanLines = (orphaned: readonly OrphanedTask[]) =>
  orphaned.flatMap((o) => [`  ${o.task_id} — "${o.title}"`, `    Reason: ${o.reason}`]);

/** `wg sweep` for people, as upstream's. */
export function sweepText(r: SweepResult): string {
  if (r.orphaned_count === 0) return ['No orphaned tasks found. Everything looks clean.', ...r.errors].join('\n');
  if (r.dry_run)
    return [
      `Found ${r.orphaned_count} orphaned task(s) (dry run, no changes made):`,
      '',
      ...orphanLines(r.orphaned),
      '',
      "Run 'wg sweep' (without --dry-run) to fix these tasks.",
    ].join('\n');
  const lines = ['Sweep complete:', '', `Found ${r.orphaned_count} orphaned task(s):`, ...orphanLines(r.orphaned)];
  if (r.fixed.length > 0) lines.push('', `Fixed ${r.fixed.length} task(s) (reset to Open):`, ...r.fixed.map((id) => `  ${id}`));
  if (r.errors.length > 0) lines.push('', ...r.errors);
  return lines.join('\n');
}
