/**
 * What git keeps in a checkout's own git folder while an operation is under way there: its marker file, what to call
 * it, and how the person ends it. A merge into a checkout of the base branch waits while one is under way there
 * (checkout-update.ts), and so does the sync of a graph.jsonl git tracks (upstream-sync/git-operation.ts).
 */
export const GIT_OPERATIONS: ReadonlyArray<{ marker: string; what: string; endedBy: string }> = [
  { marker: 'rebase-merge', what: 'a rebase', endedBy: 'git rebase --continue or --abort' },
  { marker: 'rebase-apply', what: 'a rebase', endedBy: 'git rebase --continue or --abort' },
  { marker: 'MERGE_HEAD', what: 'a merge', endedBy: 'git commit or git merge --abort' },
  { marker: 'CHERRY_PICK_HEAD', what: 'a cherry-pick', endedBy: 'git cherry-pick --continue or --abort' },
  { marker: 'REVERT_HEAD', what: 'a revert', endedBy: 'git revert --continue or --abort' },
  { marker: 'BISECT_LOG', what: 'a bisect', endedBy: 'git bisect reset' },
];
