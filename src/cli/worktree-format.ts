import { shownWorktreeState, type TaskWorktree, type WorktreeDetail, type WorktreeGcResult, type WorktreeInfo } from '../shared/worktree';
import { table } from './table';

/** `wg worktree …` and the worktree lines of `wg show`, for people; `--json` prints the objects. */

export function worktreeList(worktrees: readonly WorktreeInfo[]): string {
  if (worktrees.length === 0) return '(no worktrees)';
  const rows = [['ID', 'STATE', 'TASK', 'AGENT', 'BRANCH', 'PATH']];
  for (const w of worktrees) rows.push([w.id, stateText(w), w.task_id, w.agent_id ?? '-', w.branch, w.path]);
  return table(rows);
}

function stateText(w: WorktreeInfo): string {
  if (w.status === 'dirty') return `dirty (${w.uncommitted.length})`;
  if (w.status === 'recoverable') return `recoverable (${w.ahead})`;
  return w.status;
}

export function worktreeDetail(detail: WorktreeDetail): string {
  const w = detail.worktree;
  const lines = [
    `${w.id}: ${w.status}${w.keep_reason ? ` (kept: ${w.keep_reason})` : ''}`,
    `path: ${w.path}${w.exists ? '' : ' (gone)'}`,
    `branch: ${w.branch} (from ${w.base_branch} at ${w.base_commit.slice(0, 10)}, ${w.ahead} commit${w.ahead === 1 ? '' : 's'} ahead)`,
    `task: ${w.task_id}${w.agent_id ? `, agent ${w.agent_id}` : ''}`,
  ];
  if (w.merge_commit) lines.push(`merge commit: ${w.merge_commit}`);
  if (w.conflict_files.length) lines.push(`conflicts: ${w.conflict_files.join(', ')}`);
  if (w.recover_branch) lines.push(`recover branch: ${w.recover_branch}`);
  if (w.uncommitted.length) lines.push(`uncommitted: ${w.uncommitted.join(', ')}`);
  if (detail.diff_note) lines.push('', detail.diff_note);
  const diff = detail.diff;
  if (diff) {
    lines.push('', `${diff.kind === 'merged' ? 'merged' : 'changes'} against ${diff.base.slice(0, 10)}:`);
    for (const f of diff.files) lines.push(`  ${f.binary ? 'binary' : `+${f.added} -${f.removed}`}  ${f.path}`);
    if (diff.files.length === 0) lines.push('  (no changes)');
    if (diff.patch) lines.push('', diff.patch.trimEnd());
    if (diff.truncated) lines.push('', '(diff cut here: too long to show whole)');
  }
  return lines.join('\n');
}

export function worktreeGc(result: WorktreeGcResult): string {
  const lines: string[] = [];
  const verb = result.applied ? 'removed' : 'would remove';
  for (const r of result.removed)
    lines.push(`${verb} ${r.id}  ${r.path}${r.recover_branch ? `  (commits kept on ${r.recover_branch})` : ''}`);
  for (const k of result.kept) lines.push(`kept ${k.id}  ${k.path}: ${k.reason}`);
  if (lines.length === 0) lines.push('(no worktrees)');
  if (!result.applied && result.removed.length > 0) lines.push('', 'a dry run: wg worktree gc --apply removes them');
  return lines.join('\n');
}

/** The worktree lines of `wg show ID`. */
export function taskWorktreeLines(worktree: TaskWorktree | null): Array<[string, string | null]> {
  if (!worktree) return [];
  return [
    [
      'Worktree',
      `${worktree.path} (${shownWorktreeState(worktree.state, worktree.status)}${worktree.owner === 'person' ? ', yours' : ''})`,
    ],
    ['Branch', `${worktree.branch} onto ${worktree.base_branch}`],
    ['Merge commit', worktree.merge_commit],
    ['Conflicts', worktree.conflict_files.join(', ') || null],
    // Its task was marked done in graph.jsonl while its agent worked (done-elsewhere.ts).
    ['To merge', worktree.merge_at_end && worktree.state === 'active' ? 'when its run ends; the tasks after it wait for that' : null],
  ];
}
