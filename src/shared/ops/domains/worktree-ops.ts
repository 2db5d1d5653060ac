import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type { WorktreeArchive, WorktreeDetail, WorktreeGcResult, WorktreeInfo } from '../../worktree';
import { parseAge } from '../../durations';

/** A worktree's id (its folder under .wg-worktrees/), an agent that worked in it, or its task's id. */
const worktreeKey = builtOnce(() => z.string().min(1, 'name a worktree, agent or task').max(200));

/** Operations: the git worktrees agents work in. */
export const worktreeOps = {
  'worktree:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'Worktrees with their path, branch, task, agent and state',
    input: () => z.object({}),
    cli: { command: 'worktree list' },
  }).returns<WorktreeInfo[]>(),
  'worktree:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'One worktree and its diff against the base branch (its merge commit once merged)',
    input: () => z.object({ id: worktreeKey() }),
    cli: { command: 'worktree show', args: ['id'] },
  }).returns<WorktreeDetail>(),
  'worktree:gc': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Worktrees that can go without losing work (a dry run unless --apply)',
    input: () =>
      z.object({
        apply: z.boolean().optional().describe('remove them (default: only list them)'),
        older: z
          .string()
          .refine((text) => parseAge(text) !== null, { message: 'older must be a duration like 7d, 24h, 90m, 2w or seconds' })
          .optional()
          .describe('only worktrees whose folder has not changed for this long (7d, 24h, 90m, 2w)'),
        deadOnly: z
          .boolean()
          .optional()
          .describe("only worktrees whose agent is no longer alive (always so here: a live agent's worktree is never removed)"),
      }),
    cli: { command: 'worktree gc', aliases: { apply: ['execute'] } },
  }).returns<WorktreeGcResult>(),
  'worktree:archive': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Archive an agent's worktree: commit the work left uncommitted on its branch; --remove then removes it",
    input: () =>
      z.object({
        id: worktreeKey(),
        remove: z.boolean().optional().describe('remove the worktree once its work is committed (unmerged commits kept on recover/)'),
      }),
    cli: { command: 'worktree archive', args: ['id'] },
  }).returns<WorktreeArchive>(),
  'worktree:remove': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove a worktree (its unmerged commits are kept on a recover/ branch)',
    input: () =>
      z.object({
        id: worktreeKey(),
        force: z.boolean().optional().describe('even with uncommitted changes, which are lost'),
      }),
    cli: { command: 'worktree remove', args: ['id'] },
  }).returns<WorktreeInfo>(),
};
