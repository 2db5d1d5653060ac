import type { ArchiveRestore, ArchiveResult, ArchivedTask, GcResult, WorktreeGcItem, WorktreeGcReport } from '../shared/cleanup';

/* `wg gc` and `wg archive` for people, in upstream's words. */

function taskGc(result: GcResult): string {
  if (result.removed.length === 0) return 'No tasks to garbage collect.';
  if (result.dry_run) {
    return [
      `Would remove ${result.removed.length} tasks:`,
      ...result.removed.map((t) => `  ${t.id} - ${t.title} [${t.status}]`),
      ...runFolders(result, 'would also remove'),
    ].join('\n');
  }
  return [`Removed ${result.removed.length} tasks:`, ...result.removed.map((t) => `  ${t.id}`), ...runFolders(result, 'removed')].join(
    '\n',
  );
}

/** The line after upstream's list: the disk their runs' output took, which is the point of a gc for most people. */
function runFolders(result: GcResult, verb: string): string[] {
  const n = result.run_folders;
  if (n === 0) return [];
  return [`and ${verb} the output of their ${n} run${n === 1 ? '' : 's'} (${diskSize(result.run_bytes)})`];
}

function diskSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.ceil(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

const LABELS: Record<WorktreeGcItem['class'], string> = {
  safe: '[safe]        ',
  force: '[force]       ',
  uncommitted: '[uncommitted] ',
  skip: '[skip]        ',
};

function worktreeGc(report: WorktreeGcReport): string {
  if (!report.exists) return `No worktrees directory found at ${report.dir}`;
  if (report.worktrees.length === 0) return `No worktrees found under ${report.dir}`;
  const of = (kind: WorktreeGcItem['class']) => report.worktrees.filter((w) => w.class === kind);
  const lines = [
    `Scanned ${report.worktrees.length} worktree(s) under ${report.dir}:`,
    `  ${of('safe').length} safe to remove`,
    report.force
      ? `  ${of('force').length} uncommitted → force-remove (--force active, discards work)`
      : `  ${of('uncommitted').length} uncommitted (skipped unless --force)`,
    `  ${of('skip').length} hard-skipped`,
    '',
  ];
  for (const kind of ['safe', 'force', 'uncommitted', 'skip'] as const) {
    for (const w of of(kind)) lines.push(`${LABELS[kind]} ${w.agent_id} — ${w.reason}`);
  }
  const chosen = report.worktrees.filter((w) => w.class === 'safe' || w.class === 'force');
  if (!report.applied) {
    lines.push('', `Dry-run: ${chosen.length} worktree(s) would be removed. Re-run with --apply to execute.`);
    return lines.join('\n');
  }
  lines.push('');
  for (const w of chosen) {
    if (w.removed)
      lines.push(`[removed] ${w.agent_id} — ${w.reason}${w.recover_branch ? ` (its commits are kept on ${w.recover_branch})` : ''}`);
    else lines.push(`[error]   ${w.agent_id}: ${w.error ?? 'not removed'}`);
  }
  const ok = chosen.filter((w) => w.removed).length;
  lines.push('', `Removed ${ok} worktree(s); ${chosen.length - ok} failed.`);
  return lines.join('\n');
}

export function gcText(result: GcResult | WorktreeGcReport): string {
  return result.kind === 'tasks' ? taskGc(result) : worktreeGc(result);
}

const completedLine = (t: ArchivedTask) => `  ${t.id} - ${t.title} (completed: ${t.completed_at ?? 'unknown'})`;

export function archiveText(result: ArchiveResult): string {
  switch (result.kind) {
    case 'list':
      return result.tasks.length === 0
        ? 'No archived tasks.'
        : [`Archived tasks (${result.tasks.length}):`, ...result.tasks.map(completedLine)].join('\n');
    // Refused without --yes, the list is all stdout gets: the refusal is told on stderr.
    case 'preview':
      if (result.tasks.length === 0) return 'No tasks to archive.';
      return [`Would archive ${result.tasks.length} tasks:`, ...result.tasks.map(completedLine)].join('\n');
    case 'archived':
      return result.tasks.length === 0
        ? 'No tasks to archive.'
        : `Archived ${result.tasks.length} tasks. Use \`wg archive --undo\` to reverse.`;
    case 'undone': {
      const lines = [`Restored ${result.restored.length} tasks from last archive batch.`];
      if (result.skipped.length > 0) {
        lines.push(`Skipped ${result.skipped.length} tasks (not found in archive or already in graph): ${result.skipped.join(', ')}`);
      }
      return lines.join('\n');
    }
  }
}

export function archiveSearchText(tasks: readonly ArchivedTask[], query: string): string {
  if (tasks.length === 0) return `No archived tasks matching '${query}'.`;
  return [
    `Archived tasks matching '${query}' (${tasks.length} result${tasks.length === 1 ? '' : 's'}):`,
    ...tasks.map((t) => `${completedLine(t)}${t.tags.length > 0 ? ` [${t.tags.join(', ')}]` : ''}`),
  ].join('\n');
}

export function archiveRestoreText(restored: ArchiveRestore): string {
  return `Restored task '${restored.id}' (${restored.title}) to active graph with status '${restored.status}'`;
}
