import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { inputFlag as flag, op } from '../define';
import type { RetireReport } from '../../legacy-tasks';
import type { ArchiveRestore, ArchiveResult, ArchivedTask, GcResult, WorktreeGcReport } from '../../cleanup';
import { numberText, taskId } from '../schemas';

/** Upstream's --older: a whole number with d, w or h ("30d", "1w", "24h"); days without a unit. */
const older = builtOnce(() => z.string().optional().describe('only tasks finished more than this long ago (e.g. 30d, 7d, 1w, 24h)'));

/** Operations: a long-lived graph kept clean (upstream's `wg gc` and `wg archive`). */
export const cleanupOps = {
  'graph:gc': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      'Garbage collect terminal tasks (failed, abandoned) from the graph, or orphaned worktrees under .wg-worktrees/ with --worktrees',
    input: () =>
      z
        .object({
          dryRun: z.boolean().optional().describe('show what would be removed without removing it'),
          includeDone: z
            .boolean()
            .optional()
            .describe('also remove done tasks (by default only failed and abandoned; not with --worktrees)'),
          older: older(),
          worktrees: z.boolean().optional().describe('agents’ worktrees instead of tasks: a dry run unless --apply'),
          apply: z.boolean().optional().describe('with --worktrees: remove the worktrees found safe'),
          force: z.boolean().optional().describe('with --worktrees: also remove those with uncommitted changes (that work is lost)'),
        })
        // Upstream's wg takes these and ignores them; a flag ignored here would mislead, and some of them badly:
        // `--older 7d --worktrees --apply` removes every safe worktree, whatever its age.
        .refine((v) => v.apply !== true || v.worktrees === true, {
          message: '--apply works only with --worktrees; a task gc needs none (preview it with --dry-run)',
        })
        .refine((v) => v.force !== true || v.worktrees === true, {
          message: '--force works only with --worktrees (it removes worktrees that have uncommitted changes)',
        })
        .refine((v) => v.older === undefined || v.worktrees !== true, {
          message: '--older works on tasks, not with --worktrees (wg worktree gc --older takes worktrees by age)',
        })
        .refine((v) => v.includeDone !== true || v.worktrees !== true, { message: '--include-done works on tasks, not with --worktrees' })
        .refine((v) => v.dryRun !== true || v.apply !== true, { message: 'give either --dry-run or --apply, not both' }),
    cli: { command: 'gc' },
    readsOnlyWhen: (input) => (flag(input, 'worktrees') ? !flag(input, 'apply') : flag(input, 'dryRun')),
  }).returns<GcResult | WorktreeGcReport>(),
  'graph:archive': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Archive completed tasks to archive.jsonl (done and abandoned, with nothing unfinished after them)',
    input: () =>
      z.object({
        ids: z.array(taskId()).optional().describe('specific task ids to archive'),
        dryRun: z.boolean().optional().describe('show what would be archived without archiving'),
        older: older(),
        list: z.boolean().optional().describe('list archived tasks instead of archiving'),
        yes: z.boolean().optional().describe('skip the confirmation a bulk archive needs'),
        undo: z.boolean().optional().describe('undo the last archive (restore all tasks of the last batch)'),
      }),
    cli: { command: 'archive', args: ['ids'], short: { yes: 'y' }, failsWhenNotOk: true },
    readsOnlyWhen: (input) => flag(input, 'list') || flag(input, 'dryRun'),
  }).returns<ArchiveResult>(),
  'archive:search': op({
    kind: 'query',
    scope: 'store',
    summary: 'Search archived tasks by title, description and tags',
    input: () =>
      z.object({
        query: z.string().describe('search text (case-insensitive)'),
        limit: numberText(z.number().int().min(1).max(100_000)).default(20).describe('most results to show (default 20)'),
      }),
    cli: { command: 'archive search', args: ['query'] },
  }).returns<ArchivedTask[]>(),
  'archive:restore': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Restore an archived task back into the active graph',
    input: () =>
      z.object({
        task: taskId(),
        reopen: z.boolean().optional().describe('reopen the task (status open instead of done)'),
      }),
    cli: { command: 'archive restore', args: ['task'] },
  }).returns<ArchiveRestore>(),
  'graph:retireCompactArchive': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Abandon an older upstream coordinator's .compact-N and .archive-N tasks (and .registry-refresh-N, .user-N) and take the after-edges to .compact-N/.archive-N out; the coordinator does the first at its start. Safe to run more than once",
    input: () => z.object({ dryRun: z.boolean().optional().describe("only report what would change, don't write") }),
    cli: { command: 'migrate retire-compact-archive' },
    readsOnlyWhen: (input) => flag(input, 'dryRun'),
  }).returns<RetireReport>(),
};
