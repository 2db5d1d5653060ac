import { WgError } from '../../shared/errors';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { withoutStrayGitlinks } from './gitlinks';
import { applyCheckout, planCheckout, type CheckoutUpdate } from './checkout-update';
import { localChanges, type LocalChanges } from './changes';
import { git, gitValue, splitNul } from './git';
import { clearJournal, finishInterruptedMerge, writeJournal } from './merge-journal';
import { withMergeLock } from './merge-lock';
import { mergePause } from './merge-pause';
import { holdSignals } from './signal-hold';
import { branchTip, isAncestor } from './repo';
import { listGitWorktrees, type GitWorktree } from './worktree-list';

export interface MergeRequest {
  /** Any folder of the repository (the project folder): where git runs. */
  cwd: string;
  /** The repository's common git folder (the merge lock lives there). */
  commonDir: string;
  /** The agent's worktree (checked for uncommitted tracked files first). */
  worktree: string;
  branch: string;
  baseBranch: string;
  /** The squash commit's message; its first line finds a merge that was made but never recorded. */
  message: string;
  /** Untracked paths a setup script made. */
  setupFiles?: readonly string[];
  /**
   * The branch commit an earlier merge of this branch took (mergedHead): only what the branch gained
   * since is merged. A squash merge leaves no ancestry behind, so without it a later merge would see
   * the branch's first changes again, beside the base's copy of them, and conflict.
   */
  since?: string | null;
}

/** The trailer a squash commit names the branch commit it took with (mergedHead reads it back). */
const HEAD_TRAILER = 'Worktree-Head';

/**
 * What a merge that went through left out: untracked files of the worktree, and the gitlinks the branch committed that
 * no .gitmodules names (gitlinks.ts), by path.
 */
interface LeftOut {
  untracked: string[];
  gitlinks: string[];
}

type MergeOutcome =
  /** The squash commit is on the base branch; the base branch's checkouts were updated where safe. */
  | ({ kind: 'merged'; commit: string; previous: string; checkouts: CheckoutUpdate[] } & LeftOut)
  /** Made before (this same done, interrupted before it was recorded): found by its message. */
  | ({ kind: 'already'; commit: string } & LeftOut)
  /** The branch adds nothing the base branch does not already have. */
  | ({ kind: 'nothing' } & LeftOut)
  /** Nothing changed on the base branch. */
  | { kind: 'conflict'; files: string[] }
  /** Tracked files are modified but not committed: nothing was merged. */
  | { kind: 'dirty'; files: string[] }
  /**
   * A checkout of the base branch is in the middle of a merge or rebase (files unmerged there): the branch
   * is not moved under it, where the person's next commit would drop the merge. Nothing changed.
   */
  | { kind: 'busy'; files: string[]; why: string };

/** A merge's outcome, with what finishing an earlier, interrupted merge's checkout update came to (lines for the log). */
export type MergeResult = MergeOutcome & { recovered: string[] };

/** How far back a merge that was made but never recorded is looked for. */
const FIND_DEPTH = 300;

/** What is uncommitted in the worktree; nothing when its folder is gone (removed by hand): its branch is its work. */
function worktreeChanges(request: MergeRequest): Promise<LocalChanges> {
  if (!existsSync(request.worktree)) return Promise.resolve({ tracked: [], untracked: [], staged: [], unmerged: [] });
  return localChanges(request.worktree, request.setupFiles);
}

/**
 * Squash-merges `branch` onto `baseBranch` as ONE commit without a working tree: `merge-tree
 * --write-tree` computes the result (or the conflicting files) from the object database, `commit-tree`
 * makes the commit on the base tip, and `update-ref` moves the branch only if it still points where it
 * did (compare-and-swap). The person's checkout of the base branch is brought along only where that
 * touches none of their uncommitted work (see checkout-update.ts). Under the repository's merge lock.
 */
export async function squashMerge(request: MergeRequest): Promise<MergeResult> {
  // Asked while the lock is being taken: the worktree is the agent's own, no other merge changes it.
  const looking = worktreeChanges(request);
  looking.catch(() => undefined);
  return withMergeLock(request.commonDir, async () => {
    // A crash in the middle of an earlier merge may have left a checkout half updated: finished first.
    const recovered = await finishInterruptedMerge(request.cwd, request.commonDir);
    const changes = await looking;
    if (changes.tracked.length > 0) return { kind: 'dirty', files: changes.tracked, recovered };
    const untracked = changes.untracked;
    // The lock keeps other merges out, not a person committing on the base branch meanwhile: then the
    // compare-and-swap fails and the merge is simply made again on the new tip.
    for (let attempt = 1; ; attempt++) {
      const outcome = await mergeOnce(request, untracked);
      if (outcome !== 'moved') return { ...outcome, recovered };
      if (attempt === MAX_ATTEMPTS)
        throw new WgError('conflict', `the base branch '${request.baseBranch}' kept moving during the merge; try again`);
    }
  });
}

const MAX_ATTEMPTS = 3;

/** What merging the branch onto the base tip now would give, from the object database alone (no ref moves). */
async function mergeTree(
  request: Pick<MergeRequest, 'cwd' | 'branch' | 'baseBranch' | 'since'>,
): Promise<
  { kind: 'conflict'; files: string[] } | { kind: 'clean'; tip: string; tipTree: string; tree: string; head: string; gitlinks: string[] }
> {
  const { cwd, baseBranch } = request;
  const refs = await branchRefs(cwd, [baseBranch, request.branch]);
  const tip = refs.get(baseBranch);
  const head = refs.get(request.branch);
  if (!tip) throw new WgError('invalid', `base branch '${baseBranch}' does not exist`);
  if (!head) throw new WgError('invalid', `branch '${request.branch}' does not exist`);
  const sides = request.since ? await sidesSince(cwd, request.since, tip.tree, head.tree) : [tip.commit, head.commit];
  const result = await git(cwd, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', ...sides], { okCodes: [1] });
  const [tree, ...files] = splitNul(result.stdout);
  if (result.exitCode === 1) return { kind: 'conflict', files: [...new Set(files)] };
  if (!tree) throw new WgError('conflict', 'git merge-tree printed no tree');
  // A git repository the agent committed inside its worktree never reaches the base branch as a gitlink.
  const merged = await withoutStrayGitlinks(cwd, tip.tree, tree);
  return { kind: 'clean', tip: tip.commit, tipTree: tip.tree, tree: merged.tree, head: head.commit, gitlinks: merged.gitlinks };
}

/**
 * Two commits whose only common ancestor holds the tree of `since`, with the base tip's tree and the
 * branch's: merge-tree then merges exactly what the branch gained since that commit (git 2.39's
 * merge-tree takes no --merge-base). They and their parent are objects only, never on any ref.
 */
async function sidesSince(cwd: string, since: string, tipTree: string, headTree: string): Promise<[string, string]> {
  const root = await commitTree(cwd, `${since}^{tree}`, null, 'wg: merge base\n');
  return Promise.all([commitTree(cwd, tipTree, root, 'wg: base\n'), commitTree(cwd, headTree, root, 'wg: branch\n')]);
}

/**
 * The branch commit a squash merge took (the trailer landCommit writes), or null for a merge made
 * before it wrote one, or no commit.
 */
export async function mergedHead(cwd: string, mergeCommit: string | null): Promise<string | null> {
  if (!mergeCommit) return null;
  const value = await gitValue(cwd, ['log', '-1', `--format=%(trailers:key=${HEAD_TRAILER},valueonly,separator=%x20)`, mergeCommit]).catch(
    () => '',
  );
  return /^[0-9a-f]{40,64}$/.test(value) ? value : null;
}

/** What checking a merge without making it came to. */
export type MergeCheck =
  /** It would merge cleanly now (`empty`: the branch adds nothing the base branch lacks). */
  ({ kind: 'clean'; empty: boolean } & LeftOut) | { kind: 'conflict'; files: string[] } | { kind: 'dirty'; files: string[] };

/**
 * The checks of squashMerge without the merge: uncommitted tracked files, then whether the branch
 * merges onto the base tip without conflict. Nothing is written but merge-tree's objects; no ref
 * moves. Used when the merge must wait for the evaluation gate's score: a conflict is refused now,
 * while the agent still runs and can fix it.
 */
export async function checkSquashMerge(request: MergeRequest): Promise<MergeCheck> {
  const changes = await worktreeChanges(request);
  if (changes.tracked.length > 0) return { kind: 'dirty', files: changes.tracked };
  const merged = await mergeTree(request);
  if (merged.kind === 'conflict') return merged;
  return { kind: 'clean', empty: merged.tree === merged.tipTree, untracked: changes.untracked, gitlinks: merged.gitlinks };
}

/**
 * Whether `branch` holds work `baseBranch` lacks: merging it now would change the base (or conflict).
 * A branch squash-merged before adds nothing until it gets commits of its own after that merge; one
 * whose tip is on the base branch adds nothing at all. A look at the object database: no ref moves.
 */
export async function branchAddsToBase(cwd: string, branch: string, baseBranch: string, since: string | null = null): Promise<boolean> {
  const [head, tip] = await Promise.all([branchTip(cwd, branch), branchTip(cwd, baseBranch)]);
  if (!head) return false;
  if (!tip) return true;
  // Nothing since the commit a merge took, or nothing the base lacks.
  if (head === since || (since !== null && (await isAncestor(cwd, head, since)))) return false;
  if (head === tip || (await isAncestor(cwd, head, tip))) return false;
  const merged = await mergeTree({ cwd, branch, baseBranch, since });
  return merged.kind === 'conflict' || merged.tree !== merged.tipTree;
}

/**
 * A merge of this work that landed on the base branch but was never recorded: its `wg done` was stopped (Ctrl-C, a
 * kill) after the base branch moved and before the store was written. Found by its subject among the base branch's
 * latest commits, with the branch commit it took (its Worktree-Head), which the branch must still hold. Merged again
 * from the fork point, the branch's work met its own squash commit in every file it touched and conflicted, and each
 * retry failed the same way.
 */
export async function unrecordedMerge(
  cwd: string,
  baseBranch: string,
  branch: string,
  message: string,
): Promise<{ commit: string; took: string } | null> {
  const [tip, head] = await Promise.all([branchTip(cwd, baseBranch), branchTip(cwd, branch)]);
  if (!tip || !head) return null;
  const commit = await findMerge(cwd, tip, subjectOf(message));
  if (!commit) return null;
  const took = await mergedHead(cwd, commit);
  if (!took || (took !== head && !(await isAncestor(cwd, took, head)))) return null;
  return { commit, took };
}

async function mergeOnce(request: MergeRequest, untracked: string[]): Promise<MergeOutcome | 'moved'> {
  const [merged, worktrees] = await Promise.all([mergeTree(request), listGitWorktrees(request.cwd)]);
  if (merged.kind === 'conflict') return merged;
  return landCommit(request, { ...merged, worktrees }, untracked);
}

/** The merged tree as a commit on the base tip, the branch moved to it, and its checkouts brought along. */
async function landCommit(
  request: MergeRequest,
  merged: { tip: string; tipTree: string; tree: string; head: string; worktrees: GitWorktree[]; gitlinks: string[] },
  untracked: string[],
): Promise<MergeOutcome | 'moved'> {
  const { cwd, baseBranch } = request;
  const { tip, tree, worktrees } = merged;
  const left: LeftOut = { untracked, gitlinks: merged.gitlinks };
  if (tree === merged.tipTree) {
    const earlier = await findMerge(cwd, tip, subjectOf(request.message));
    return earlier ? { kind: 'already', commit: earlier, ...left } : { kind: 'nothing', ...left };
  }
  // Which branch commit it took: work committed on the branch after it is told apart by this (late-work.ts).
  const commit = await commitTree(cwd, tree, tip, `${request.message.trimEnd()}\n\n${HEAD_TRAILER}: ${merged.head}\n`);
  // Looked at before the branch moves, so the normal path knows what to update; measured against the old tip, so a crash's leftover can be finished too.
  const checkouts = worktrees.filter((w) => w.branch === baseBranch && !w.bare && !w.prunable);
  const [plans, rebasing] = await Promise.all([
    Promise.all(checkouts.map((w) => planCheckout(w.path, tip, commit))),
    rebaseOf(worktrees, baseBranch),
  ]);
  if (rebasing)
    return { kind: 'busy', files: rebasing.unmerged, why: `${baseBranch} is being rebased at ${rebasing.folder}: ${rebasing.blocked}` };
  const busy = plans.find((plan) => plan.blocked !== null);
  if (busy) return { kind: 'busy', files: busy.unmerged, why: `${baseBranch} is checked out at ${busy.folder}, and ${busy.blocked}` };
  await mergePause('before-ref');
  // From the journal to the checkouts brought along, one step a Ctrl-C does not cut in two (holdSignals).
  return holdSignals(async () => {
    // Written before the branch moves, removed once its checkouts are brought along: a crash in between is finished by the next merge.
    writeJournal(request.commonDir, { branch: baseBranch, previous: tip, commit });
    const moved = await git(cwd, ['update-ref', '-m', `wg: ${subjectOf(request.message)}`, `refs/heads/${baseBranch}`, commit, tip]).then(
      () => false,
      async (error: unknown) => {
        const now = await branchTip(cwd, baseBranch);
        // The branch is at this merge: git failed after moving it (killed in its hook, say); the rest is still to do.
        if (now === commit) return false;
        if (now !== tip) return true;
        throw error;
      },
    );
    if (moved) {
      clearJournal(request.commonDir);
      return 'moved' as const;
    }
    await mergePause('after-ref');
    const updates: CheckoutUpdate[] = [];
    for (const plan of plans) updates.push(await applyCheckout(plan, tip, commit));
    clearJournal(request.commonDir);
    return { kind: 'merged' as const, commit, previous: tip, checkouts: updates, ...left };
  });
}

/**
 * A checkout in the middle of a rebase of `baseBranch`. Its HEAD is detached meanwhile, so it is not
 * among the branch's checkouts, yet `git rebase --continue` ends by moving the branch from the tip it
 * started on: moved now, the rebase would fail at its last step (or, forced, drop the merge). Git names
 * the branch being rebased in rebase-merge/head-name (rebase-apply/head-name for `git am`-style rebases).
 */
async function rebaseOf(
  worktrees: readonly GitWorktree[],
  baseBranch: string,
): Promise<{ folder: string; unmerged: string[]; blocked: string } | null> {
  const detached = worktrees.filter((w) => w.branch === null && !w.bare && !w.prunable);
  for (const w of detached) {
    const heads = (
      await git(w.path, ['rev-parse', '--git-path', 'rebase-merge/head-name', '--git-path', 'rebase-apply/head-name']).catch(() => null)
    )?.stdout
      .split('\n')
      .filter(Boolean);
    const named = (heads ?? []).some((path) => readText(resolve(w.path, path)) === `refs/heads/${baseBranch}`);
    if (!named) continue;
    const unmerged = [
      ...new Set(splitNul((await git(w.path, ['ls-files', '--unmerged', '-z'])).stdout).map((line) => line.slice(line.indexOf('\t') + 1))),
    ];
    const files = unmerged.length > 0 ? ` (${unmerged.slice(0, 3).join(', ')})` : '';
    return { folder: w.path, unmerged, blocked: `a rebase is in progress there${files}` };
  }
  return null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Several branches' tips and their trees in one git call. */
async function branchRefs(cwd: string, branches: readonly string[]): Promise<Map<string, { commit: string; tree: string }>> {
  const { stdout } = await git(cwd, [
    'for-each-ref',
    '--format=%(refname)%00%(objectname)%00%(tree)',
    ...branches.map((b) => `refs/heads/${b}`),
  ]);
  const refs = new Map<string, { commit: string; tree: string }>();
  for (const line of stdout.split('\n')) {
    const [ref = '', commit, tree] = line.split('\0');
    const name = ref.replace(/^refs\/heads\//, '');
    // for-each-ref matches whole path prefixes too (refs/heads/wg matches refs/heads/wg/...): exact names only.
    if (commit && tree && branches.includes(name)) refs.set(name, { commit, tree });
  }
  return refs;
}

function subjectOf(message: string): string {
  return message.split('\n')[0] ?? message;
}

async function findMerge(cwd: string, tip: string, subject: string): Promise<string | null> {
  const log = await gitValue(cwd, ['log', `-${FIND_DEPTH}`, '--format=%H %s', tip]);
  for (const line of log.split('\n')) {
    const space = line.indexOf(' ');
    if (line.slice(space + 1) === subject) return line.slice(0, space);
  }
  return null;
}

/** A repository without a name and email configured still gets its merge, under the app's name. */
export const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Workgraph',
  GIT_AUTHOR_EMAIL: 'workgraph@localhost',
  GIT_COMMITTER_NAME: 'Workgraph',
  GIT_COMMITTER_EMAIL: 'workgraph@localhost',
};

async function commitTree(cwd: string, tree: string, parent: string | null, message: string): Promise<string> {
  const args = ['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-F', '-'];
  try {
    return await gitValue(cwd, args, { input: message });
  } catch (error) {
    if (!(error instanceof WgError) || !/identity|email|who you are|name/i.test(error.message)) throw error;
    return gitValue(cwd, args, { input: message, env: FALLBACK_IDENTITY });
  }
}
