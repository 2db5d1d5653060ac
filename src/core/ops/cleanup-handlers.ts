import type { Handlers } from './context';

/*
 * `wg gc` and `wg archive`. The clean-up modules (and, for --worktrees, git) load only when one of
 * these runs.
 */
const gc = () => import('../cleanup/gc');
const worktreeGc = () => import('../cleanup/worktree-gc');
const archive = () => import('../cleanup/archive');

export const cleanupHandlers: Handlers<'graph:gc' | 'graph:archive' | 'archive:search' | 'archive:restore' | 'graph:retireCompactArchive'> =
  {
    'graph:gc': async (input, { store, paths, actor, agent }) => {
      if (input.worktrees) {
        return (await worktreeGc()).collectWorktreeGarbage(
          { store, paths },
          { apply: input.apply ?? false, force: input.force ?? false, selfAgent: agent?.id ?? null, actor },
        );
      }
      return (await gc()).collectGarbage(store, paths.runsDir, {
        dryRun: input.dryRun ?? false,
        includeDone: input.includeDone ?? false,
        older: input.older,
      });
    },
    'graph:archive': async (input, { store, paths }) =>
      (await archive()).archiveTasks(store, paths.dir, {
        ids: input.ids ?? [],
        dryRun: input.dryRun ?? false,
        older: input.older,
        list: input.list ?? false,
        yes: input.yes ?? false,
        undo: input.undo ?? false,
      }),
    'archive:search': async ({ query, limit }, { paths }) => (await archive()).searchArchive(paths.dir, query, limit),
    'archive:restore': async ({ task, reopen }, { store, paths }) =>
      (await archive()).restoreArchived(store, paths.dir, task, reopen ?? false),
    'graph:retireCompactArchive': async ({ dryRun }, { store }) =>
      (await import('../upstream-sync/legacy-daemon-tasks')).retireCompactArchive(store, dryRun === true),
  };
