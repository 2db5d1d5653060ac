import { existsSync, lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { git, splitNul } from './git';

/** What became of one checkout of the base branch when a merge moved it. */
export interface CheckoutUpdate {
  folder: string;
  /** Files brought up to the new commit. */
  updated: number;
  /** Files left exactly as they were, because the person has uncommitted changes to them. */
  kept: string[];
  /** For the log, when not everything could be brought up to date. */
  note: string | null;
}

/** Up to this many changed paths, the person's checkout is asked about those paths alone. */
const STATUS_PATH_LIMIT = 500;

/** Paths, one argument list: GIT_LITERAL_PATHSPECS makes `*` or `:` in a file name mean itself. */
const LITERAL = { GIT_LITERAL_PATHSPECS: '1' };

/** A checkout of the base branch, looked at before the branch moves. */
export interface CheckoutPlan {
  folder: string;
  /** Paths the merge changes that the person also changed (or has an untracked or ignored file at). */
  overlap: string[];
  /** Paths the merge changes that the person did not touch. */
  clean: string[];
  /** Paths the merge deletes. */
  deleted: Set<string>;
  /** The person's staged paths: their index entries are theirs too. */
  staged: Set<string>;
  /** Why nothing at all may be touched (a merge or rebase in progress there), if so. */
  blocked: string | null;
  /** The paths unmerged there (a merge or rebase stopped on them). */
  unmerged: string[];
}

/** What git keeps in a checkout's own git folder while an operation is under way there. */
const IN_PROGRESS: Array<[string, string]> = [
  ['MERGE_HEAD', 'a merge'],
  ['rebase-merge', 'a rebase'],
  ['rebase-apply', 'a rebase'],
  ['CHERRY_PICK_HEAD', 'a cherry-pick'],
  ['REVERT_HEAD', 'a revert'],
];

/**
 * The operation under way in `folder`, even with every conflict resolved and staged (its commit still to
 * come, on the index of the old tip: were the branch moved now, that commit would drop the move).
 */
async function operationUnderWay(folder: string): Promise<string | null> {
  const args = IN_PROGRESS.flatMap(([name]) => ['--git-path', name]);
  const paths = (await git(folder, ['rev-parse', ...args])).stdout.split('\n').filter(Boolean);
  const found = IN_PROGRESS.find((_, i) => paths[i] !== undefined && existsSync(resolve(folder, paths[i] as string)));
  return found ? found[1] : null;
}

/**
 * The person's own changes at `paths` (all paths when not given), measured against `oldTip` rather than
 * against HEAD: before the branch moves the two are the same, and after a crash between the branch's
 * move and the checkout's update (HEAD already at the merge, the files still at `oldTip`) the answer
 * is still who changed what, so the update can be finished then (see merge-journal.ts).
 */
async function ownChanges(
  folder: string,
  oldTip: string,
  paths: readonly string[] | undefined,
): Promise<{ tracked: Set<string>; staged: Set<string> }> {
  const scope = paths ? ['--', ...paths] : [];
  const options = paths ? { env: LITERAL } : {};
  const [staged, modified] = await Promise.all([
    git(folder, ['diff', '--cached', '--name-only', '--no-renames', '-z', oldTip, ...scope], options),
    git(folder, ['diff', '--name-only', '--no-renames', '-z', ...scope], options),
  ]);
  const stagedPaths = splitNul(staged.stdout);
  return { tracked: new Set([...stagedPaths, ...splitNul(modified.stdout)]), staged: new Set(stagedPaths) };
}

/**
 * Looks at a checkout of the base branch BEFORE the merge moves the branch: which of the paths the
 * merge changes the person has touched. Paths the old commit did not have but that exist on disk are
 * the person's too (an untracked or ignored file would otherwise be overwritten).
 */
export async function planCheckout(folder: string, oldTip: string, newTip: string): Promise<CheckoutPlan> {
  // "STATUS\0path\0" pairs.
  const fields = splitNul((await git(folder, ['diff', '--name-status', '--no-renames', '-z', oldTip, newTip])).stdout);
  const paths = fields.filter((_, i) => i % 2 === 1);
  // Only the paths the merge changes matter; a long list is cheaper as one whole status than as arguments.
  const [own, unmerged] = await Promise.all([
    paths.length === 0
      ? { tracked: new Set<string>(), staged: new Set<string>() }
      : ownChanges(folder, oldTip, paths.length <= STATUS_PATH_LIMIT ? paths : undefined),
    // A merge or rebase in progress shows in the whole index, not only at those paths.
    git(folder, ['ls-files', '--unmerged', '-z']).then(({ stdout }) => splitNul(stdout).map((line) => line.slice(line.indexOf('\t') + 1))),
  ]);
  const overlap: string[] = [];
  const clean: string[] = [];
  const deleted = new Set<string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i] as string;
    const path = fields[i + 1] as string;
    if (status === 'D') deleted.add(path);
    const onDisk = status === 'A' && exists(join(folder, path));
    (own.tracked.has(path) || onDisk ? overlap : clean).push(path);
  }
  const files = [...new Set(unmerged)];
  const underWay = files.length > 0 ? 'a merge or rebase' : await operationUnderWay(folder);
  const blocked =
    underWay === null ? null : `${underWay} is in progress there${files.length > 0 ? ` (${files.slice(0, 3).join(', ')})` : ''}`;
  return { folder, overlap, clean, deleted, staged: own.staged, blocked, unmerged: files };
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Brings a checkout of the base branch from `oldTip` to `newTip` (the branch has just moved) without
 * touching a byte of the person's uncommitted work. When the merge and the person changed different
 * files, git's own two-tree merge does it all (`read-tree -m -u`, what `git checkout` does). Otherwise
 * the untouched files are brought up to date, and the person's files stay exactly as they were on disk;
 * their index entries move to the new commit (unless the person staged them), so `git diff` shows how
 * their version differs from the merged one and a plain `git commit` cannot undo the merge.
 */
export async function applyCheckout(plan: CheckoutPlan, oldTip: string, newTip: string): Promise<CheckoutUpdate> {
  const { folder } = plan;
  if (!existsSync(folder)) return { folder, updated: 0, kept: [], note: `${folder} is gone; nothing to update` };
  if (plan.blocked) {
    return { folder, updated: 0, kept: [...plan.overlap, ...plan.clean], note: `left ${folder} alone: ${plan.blocked}` };
  }
  if (plan.overlap.length === 0) {
    const result = await git(folder, ['read-tree', '-m', '-u', oldTip, newTip]).catch((error: unknown) => error as Error);
    if (!(result instanceof Error)) return { folder, updated: plan.clean.length, kept: [], note: null };
    return { folder, updated: 0, kept: plan.clean, note: `left ${folder} as it was: ${result.message}` };
  }
  await bringUpToDate(folder, plan.clean, plan.deleted, newTip);
  const indexOnly = plan.overlap.filter((path) => !plan.staged.has(path));
  if (indexOnly.length > 0)
    await git(folder, ['reset', '-q', newTip, '--pathspec-from-file=-', '--pathspec-file-nul'], { input: nul(indexOnly), env: LITERAL });
  const kept = plan.overlap;
  const note = `kept your uncommitted changes to ${describe(kept)} in ${folder} as they were; the base branch now has the merged version (see git diff)`;
  return { folder, updated: plan.clean.length, kept, note };
}

/** Files nobody touched: checked out from the new commit, or removed where it deleted them. */
async function bringUpToDate(folder: string, paths: string[], deletions: ReadonlySet<string>, newTip: string): Promise<void> {
  const checkout = paths.filter((path) => !deletions.has(path));
  const deleted = paths.filter((path) => deletions.has(path));
  if (checkout.length > 0)
    await git(folder, ['checkout', newTip, '--pathspec-from-file=-', '--pathspec-file-nul'], { input: nul(checkout), env: LITERAL });
  if (deleted.length > 0)
    await git(folder, ['rm', '-q', '--ignore-unmatch', '--pathspec-from-file=-', '--pathspec-file-nul'], {
      input: nul(deleted),
      env: LITERAL,
    });
}

const nul = (paths: readonly string[]) => `${paths.join('\0')}\0`;

function describe(paths: readonly string[]): string {
  return paths.length <= 5 ? paths.join(', ') : `${paths.slice(0, 5).join(', ')} and ${paths.length - 5} more`;
}
