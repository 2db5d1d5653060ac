import { worktreeDetail, worktreeGc, worktreeList } from '../worktree-format';
import type { Formatters } from './formatters';

/** A run's worktree: listed, shown, archived, removed. */

export const worktreeFormatters: Formatters = {
  'worktree:list': worktreeList,
  'worktree:show': worktreeDetail,
  'worktree:gc': worktreeGc,
  // Upstream's archive lines (it prints them on stderr, "[worktree] …"; here, as every command's report, on stdout).
  'worktree:archive': ({ agent, committed, removed, worktree }) =>
    [
      committed.length > 0
        ? `[worktree] Committed ${committed.length} file(s) left uncommitted in ${agent} on ${worktree.branch}`
        : `[worktree] No uncommitted changes in ${agent}`,
      ...(removed
        ? [
            `[worktree] Archived and removed: ${agent}${worktree.recover_branch ? `; its commits are kept on ${worktree.recover_branch}` : ''}`,
          ]
        : [`[worktree] Archived (preserved on disk): ${agent}`, `  To remove: wg worktree archive ${agent} --remove`]),
    ].join('\n'),
  'worktree:remove': (w) => `removed ${w.id} (${w.path})${w.recover_branch ? `; its commits are kept on ${w.recover_branch}` : ''}`,
};
