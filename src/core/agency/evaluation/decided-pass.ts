import { z } from 'zod';
import { builtOnce } from '../../../shared/built-once';
import type { Store } from '../../store/store';

/**
 * A passing score for work that waits in a worktree, kept on the worktree (`decided_pass`) from before
 * its merge until the transaction that records the merge. The merge moves the base branch outside any
 * transaction; were the daemon to die right after, the task would still be pending-eval and a second
 * evaluation could fail a task whose work is already on the base branch. With the decision on disk,
 * the restart finishes it instead: the merge is found made (or made now) and this score recorded.
 */
const decidedPass = builtOnce(() =>
  z.object({
    input: z.object({
      score: z.number(),
      dimensions: z.record(z.string(), z.number()),
      notes: z.string().nullable(),
      evaluator: z.string().nullable(),
      source: z.string(),
    }),
    actor: z.string(),
  }),
);
export type DecidedPass = z.infer<Awaited<ReturnType<typeof decidedPass>>>;

/** One transaction of its own, before the merge. */
export async function writeDecidedPass(store: Store, worktreeId: string, decided: DecidedPass): Promise<void> {
  await store.worktrees.change(worktreeId, { decided_pass: JSON.stringify(decided) });
}

/** The decision kept on a worktree, or null (none, or unreadable: then the task is simply evaluated again). */
export function readDecidedPass(json: string | null): DecidedPass | null {
  if (json === null) return null;
  try {
    return decidedPass().parse(JSON.parse(json));
  } catch {
    return null;
  }
}
