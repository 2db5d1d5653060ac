import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { UPSTREAM_GRAPH_FILE } from '../opening/upstream-graph';
import { gitSyncOutput } from '../worktrees/git-sync';
import { GIT_OPERATIONS } from '../worktrees/git-operations';

/*
 * A rebase, bisect or cherry-pick of a repository that tracks graph.jsonl puts one version of it after another in
 * place, and may stop part way for the person (a conflict, an edit, an exec that failed). A version put there half way
 * is no one's save: taking it in, or refusing it and writing graph.jsonl again from graph.db, changes the checkout
 * under git's feet: a rebase stops on "You have unstaged changes", or one finished with `git add -A`
 * folds a later commit's task into an earlier commit and drops the later one ("patch contents already upstream").
 * So while such an operation is under way, the sync leaves graph.jsonl alone, and takes up the version it ends with.
 */

/**
 * The git folder of the checkout `dir` is in: `.git` found upward, a folder, or a file naming one (a linked worktree,
 * a submodule). Only files are read: no process is started for a folder where nothing is under way.
 */
function checkoutGitDir(dir: string): string | null {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const dotGit = join(at, '.git');
    const stat = statSync(dotGit, { throwIfNoEntry: false });
    if (stat?.isDirectory()) return dotGit;
    if (stat?.isFile()) {
      const named = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
      return named ? resolve(at, named) : null;
    }
    if (dirname(at) === at) return null;
  }
}

/** Whether git tracks graph.jsonl in `wgDir` (in its index: a rebase stopped part way has it there too). */
function graphFileTracked(wgDir: string): boolean {
  const listed = gitSyncOutput(wgDir, ['ls-files', '-z', '--', UPSTREAM_GRAPH_FILE], { GIT_LITERAL_PATHSPECS: '1' });
  return listed !== null && listed !== '';
}

/**
 * The git operation under way in the checkout holding `wgDir` whose steps put versions of its graph.jsonl in place
 * ("a rebase"), and how it ends, or null: none under way, or git does not track graph.jsonl (upstream's own `wg init`
 * ignores its folder), so the operation never touches it.
 */
export function gitOperationOnGraphFile(wgDir: string): { what: string; endedBy: string } | null {
  const gitDir = checkoutGitDir(wgDir);
  if (gitDir === null) return null;
  const found = GIT_OPERATIONS.find(({ marker }) => existsSync(join(gitDir, marker)));
  if (!found || !graphFileTracked(wgDir)) return null;
  return { what: found.what, endedBy: found.endedBy };
}
