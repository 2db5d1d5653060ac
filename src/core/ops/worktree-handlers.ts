import { parseAge } from '../../shared/durations';
import type { Handlers } from './context';

/*
 * The worktree modules (and the git runner) load only when a worktree operation runs: every agent
 * starts `wg` often, mostly for other commands.
 */
const inspect = () => import('../worktrees/inspect');
const sweep = () => import('../worktrees/sweep');
const archive = () => import('../worktrees/archive-worktree');

export const worktreeHandlers: Handlers<'worktree:list' | 'worktree:show' | 'worktree:gc' | 'worktree:archive' | 'worktree:remove'> = {
  'worktree:list': async (_input, { store, paths }) => (await inspect()).listWorktrees({ store, paths }),
  'worktree:show': async ({ id }, { store, paths }) => (await inspect()).showWorktree({ store, paths }, id),
  // --dead-only needs no filter of its own: a worktree a live agent works in is never removable.
  'worktree:gc': async ({ apply, older }, { store, paths, actor }) =>
    (await sweep()).collectWorktrees(
      { store, paths },
      { apply: apply ?? false, actor, olderS: older === undefined ? undefined : (parseAge(older) ?? undefined) },
    ),
  'worktree:archive': async ({ id, remove }, { store, paths, actor }) =>
    (await archive()).archiveWorktree({ store, paths }, id, remove ?? false, actor),
  'worktree:remove': async ({ id, force }, { store, paths, actor }) =>
    (await sweep()).removeOne({ store, paths }, id, force ?? false, actor),
};
