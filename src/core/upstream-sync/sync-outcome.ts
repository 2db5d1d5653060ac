/** What a sync of graph.jsonl comes to, shared by the sync (graph-sync.ts), its settle loop and its wait for git. */

export interface SyncOutcome {
  /** Tasks the store took from graph.jsonl (added, changed or removed). */
  fromFile: number;
  /** Whether graph.jsonl was written. */
  wroteFile: boolean;
  /** One line for a person: a version of graph.jsonl refused, or not taken in (yet), and why. */
  notice?: string;
  /** Sync again after this long (an empty or cut graph.jsonl, looked at again once it has stood QUIET_MS). */
  againInMs?: number;
  /**
   * A git operation under way in the checkout puts versions of graph.jsonl in place (git-operation.ts): the sync left
   * it alone, and messages/ waits with it (the same rebase puts older message files in place).
   */
  heldByGit?: true;
  /**
   * One line naming the tasks this sync removed because graph.jsonl no longer has them: upstream's gc or archive,
   * or a stale copy saved over a newer file, which no content tells apart. Said, not a problem: else
   * a finished task goes from every listing without a word.
   */
  removed?: string;
}

/** `read`: graph.jsonl's changes are taken in, the file is never written (a command that only reads). */
export type SyncMode = 'full' | 'read';

export const NOTHING: SyncOutcome = { fromFile: 0, wroteFile: false };
