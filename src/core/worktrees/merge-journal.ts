import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { replaceFile } from '../files/no-follow';
import { applyCheckout, planCheckout, type CheckoutUpdate } from './checkout-update';
import { withMergeLock } from './merge-lock';
import { branchTip } from './repo';
import { listGitWorktrees } from './worktree-list';

/**
 * A merge moves the base branch and then brings its checkouts along: two steps, and a crash between
 * them leaves the person's folder with HEAD at the merge but the files (and index) of the old tip, so
 * `git status` shows the merge undone and a plain `git commit -a` would undo it. The journal, written
 * before the branch moves and removed once the checkouts are updated, lets the next merge (under the
 * same lock) finish the update.
 */
const Journal = z.object({ branch: z.string(), previous: z.string(), commit: z.string() });
export type MergeJournal = z.infer<typeof Journal>;

const journalPath = (commonDir: string) => join(commonDir, 'wg-merge-pending.json');

/** Written durably (fsync, then an atomic rename) before the branch moves. */
export function writeJournal(commonDir: string, journal: MergeJournal): void {
  replaceFile(journalPath(commonDir), JSON.stringify(journal), { fsync: true });
}

export function clearJournal(commonDir: string): void {
  rmSync(journalPath(commonDir), { force: true });
}

function readJournal(commonDir: string): MergeJournal | null {
  try {
    return Journal.parse(JSON.parse(readFileSync(journalPath(commonDir), 'utf8')));
  } catch {
    return null;
  }
}

/**
 * Finishes the checkout update of a merge a crash interrupted (called holding the merge lock). When the
 * branch did not move (the crash came first), or moved on since (a person committed), there is nothing
 * it can safely do and the journal is dropped. Returns lines for the log.
 */
export async function finishInterruptedMerge(cwd: string, commonDir: string): Promise<string[]> {
  const journal = readJournal(commonDir);
  if (!journal) {
    clearJournal(commonDir);
    return [];
  }
  const { branch, previous, commit } = journal;
  const tip = await branchTip(cwd, branch);
  const notes: string[] = [];
  if (tip === commit) {
    const checkouts = (await listGitWorktrees(cwd)).filter((w) => w.branch === branch && !w.bare && !w.prunable);
    const updates: CheckoutUpdate[] = [];
    // planCheckout measures the person's changes against the old tip, not HEAD, so it tells theirs from the merge's here too.
    for (const w of checkouts) updates.push(await applyCheckout(await planCheckout(w.path, previous, commit), previous, commit));
    notes.push(`Finished updating the checkout of ${branch} after an interrupted merge (${commit.slice(0, 10)})`);
    for (const update of updates) notes.push(...update.notes);
  } else if (tip !== previous) {
    notes.push(`An interrupted merge onto ${branch} (${commit.slice(0, 10)}) left its checkout as it was: the branch has moved since`);
  }
  clearJournal(commonDir);
  return notes;
}

/**
 * The coordinator's sweep on start (and after runs end): an interrupted merge's checkout update is
 * finished even when no other merge comes soon (a `wg done` killed at that moment, say). Free when
 * there is no journal: one existsSync.
 */
export async function finishPendingMerge(cwd: string, commonDir: string): Promise<string[]> {
  if (!existsSync(journalPath(commonDir))) return [];
  return withMergeLock(commonDir, () => finishInterruptedMerge(cwd, commonDir));
}
