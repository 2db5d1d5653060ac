import { existsSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { git, gitToFile, gitValue, splitNul } from './git';
import { GIT_OPERATIONS } from './git-operations';

/** What became of one checkout of the base branch when a merge moved it. */
export interface CheckoutUpdate {
  folder: string;
  /** Files brought up to the new commit. */
  updated: number;
  /** Files the person had changed too, the merge's change merged into theirs (as `git stash pop` would). */
  merged: string[];
  /** Files left exactly as they were, because the person's uncommitted changes to them overlap the merge's. */
  kept: string[];
  /** Lines for the task's log: what was merged into the person's files, and what could not be brought up to date. */
  notes: string[];
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
  /** Paths the merge modifies (not adds or deletes): a change of the person's there can be merged with it. */
  modified: Set<string>;
  /** The person's staged paths: their index entries are theirs too. */
  staged: Set<string>;
  /** Why nothing at all may be touched (a merge or rebase in progress there), if so. */
  blocked: string | null;
  /** The paths unmerged there (a merge or rebase stopped on them). */
  unmerged: string[];
}

/**
 * The operation under way in `folder`, even with every conflict resolved and staged (its commit still to
 * come, on the index of the old tip: were the branch moved now, that commit would drop the move).
 */
export async function operationUnderWay(folder: string): Promise<string | null> {
  const args = GIT_OPERATIONS.flatMap(({ marker }) => ['--git-path', marker]);
  const paths = (await git(folder, ['rev-parse', ...args])).stdout.split('\n').filter(Boolean);
  const found = GIT_OPERATIONS.find((_, i) => paths[i] !== undefined && existsSync(resolve(folder, paths[i] as string)));
  return found ? found.what : null;
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
  const modified = new Set<string>();
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i] as string;
    const path = fields[i + 1] as string;
    if (status === 'D') deleted.add(path);
    if (status === 'M') modified.add(path);
    const onDisk = status === 'A' && exists(join(folder, path));
    (own.tracked.has(path) || onDisk ? overlap : clean).push(path);
  }
  const files = [...new Set(unmerged)];
  const underWay = files.length > 0 ? 'a merge or rebase' : await operationUnderWay(folder);
  const blocked =
    underWay === null ? null : `${underWay} is in progress there${files.length > 0 ? ` (${files.slice(0, 3).join(', ')})` : ''}`;
  return { folder, overlap, clean, deleted, modified, staged: own.staged, blocked, unmerged: files };
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
 * losing a byte of the person's uncommitted work. When the merge and the person changed different
 * files, git's own two-tree merge does it all (`read-tree -m -u`, what `git checkout` does). Otherwise
 * the untouched files are brought up to date, and each file both changed gets the merge's change merged
 * into the person's (mergeOwnChanges), as `git stash`, the update and `git stash pop --index` would: a
 * plain `git commit` (or `git commit -a`) then keeps the merge. Where the two overlap, the person's file
 * stays exactly as it was and the note says what committing it would undo and how to see that.
 */
export async function applyCheckout(plan: CheckoutPlan, oldTip: string, newTip: string): Promise<CheckoutUpdate> {
  const { folder } = plan;
  const unfinished = (why: string) => `Project folder not fully updated: ${why}`;
  if (!existsSync(folder)) return { folder, updated: 0, merged: [], kept: [], notes: [unfinished(`${folder} is gone; nothing to update`)] };
  if (plan.blocked) {
    return {
      folder,
      updated: 0,
      merged: [],
      kept: [...plan.overlap, ...plan.clean],
      notes: [unfinished(`left ${folder} alone: ${plan.blocked}`)],
    };
  }
  if (plan.overlap.length === 0) {
    const result = await git(folder, ['read-tree', '-m', '-u', oldTip, newTip]).catch((error: unknown) => error as Error);
    if (!(result instanceof Error)) return { folder, updated: plan.clean.length, merged: [], kept: [], notes: [] };
    return { folder, updated: 0, merged: [], kept: plan.clean, notes: [unfinished(`left ${folder} as it was: ${result.message}`)] };
  }
  await bringUpToDate(folder, plan.clean, plan.deleted, newTip);
  // Unstaged paths: the index takes the merge's version, so only the person's working file is theirs.
  const indexOnly = plan.overlap.filter((path) => !plan.staged.has(path));
  if (indexOnly.length > 0)
    await git(folder, ['reset', '-q', newTip, '--pathspec-from-file=-', '--pathspec-file-nul'], { input: nul(indexOnly), env: LITERAL });
  const mergeable = plan.overlap.filter((path) => plan.modified.has(path));
  const merged = mergeable.length > 0 ? await mergeOwnChanges(folder, mergeable, plan.staged, oldTip, newTip) : [];
  const kept = plan.overlap.filter((path) => !merged.includes(path));
  const keptStaged = kept.filter((path) => plan.staged.has(path));
  const keptOther = kept.filter((path) => !plan.staged.has(path));
  const notes: string[] = [];
  if (merged.length > 0)
    notes.push(
      `Project folder: merged the agent's changes into your uncommitted changes to ${describe(merged)} in ${folder}, as git stash and git stash pop --index would`,
    );
  if (keptStaged.length > 0) {
    const one = keptStaged.length === 1;
    notes.push(
      unfinished(
        `your staged ${describe(keptStaged)} in ${folder} ${one ? 'overlaps' : 'overlap'} the agent's change and ${one ? 'is' : 'are'} kept as you staged ${one ? 'it' : 'them'}: a plain git commit now would undo the agent's change to ${one ? 'it' : 'them'} (see ${diffCommand(['--cached'], keptStaged)})`,
      ),
    );
  }
  if (keptOther.length > 0)
    notes.push(
      unfinished(
        `kept your uncommitted changes to ${describe(keptOther)} in ${folder} as they were (they overlap the agent's change): committing them as they are (git commit -a) would undo the agent's change to them (see ${diffCommand(['HEAD'], keptOther)})`,
      ),
    );
  return { folder, updated: plan.clean.length, merged, kept, notes };
}

/** The git command that shows what committing `paths` would undo: paths named when few, quoted for a shell. */
function diffCommand(args: readonly string[], paths: readonly string[]): string {
  const quote = (path: string) => (/^[\w./@+,=-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`);
  return ['git diff', ...args, ...(paths.length <= 5 ? ['--', ...paths.map(quote)] : [])].join(' ');
}

/** One entry of a tree or the index: its mode and blob. */
interface Entry {
  mode: string;
  blob: string;
}

/** Modes of a plain file (not a link or a submodule), the only ones a text merge applies to. */
const FILE_MODES = new Set(['100644', '100755']);

/** `ls-tree` (tree) or `ls-files -s` (index) entries of `paths`, by path. */
async function entries(folder: string, tree: string | null, paths: readonly string[]): Promise<Map<string, Entry>> {
  const args = tree ? ['ls-tree', '-z', '--full-tree', tree, '--', ...paths] : ['ls-files', '-s', '-z', '--', ...paths];
  const found = new Map<string, Entry>();
  for (const line of splitNul((await git(folder, args, { env: LITERAL })).stdout)) {
    const tab = line.indexOf('\t');
    // "mode type blob" from ls-tree, "mode blob stage" from ls-files.
    const [mode = '', second = '', third = ''] = line.slice(0, tab).split(' ');
    if (!tree && third !== '0') continue;
    found.set(line.slice(tab + 1), { mode, blob: tree ? third : second });
  }
  return found;
}

/**
 * The merge's change merged into the person's own change of each of `paths` (changed by both), as
 * `git stash pop --index` would after the update: three-way, with the old tip's blob as the base, into
 * the working file and, for a staged path, into its index entry too. A path is merged only when every
 * side merges cleanly, so no file is left with conflict markers; the rest stay as they were. Returns the
 * paths merged.
 */
async function mergeOwnChanges(
  folder: string,
  paths: readonly string[],
  staged: ReadonlySet<string>,
  oldTip: string,
  newTip: string,
): Promise<string[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'wg-checkout-merge-'));
  try {
    const [before, after, index] = await Promise.all([
      entries(folder, oldTip, paths),
      entries(folder, newTip, paths),
      entries(
        folder,
        null,
        paths.filter((path) => staged.has(path)),
      ),
    ]);
    const merged: string[] = [];
    for (const path of paths) {
      const base = before.get(path);
      const theirs = after.get(path);
      const own = staged.has(path) ? index.get(path) : undefined;
      if (!base || !theirs || !FILE_MODES.has(base.mode) || !FILE_MODES.has(theirs.mode)) continue;
      if (staged.has(path) && (!own || !FILE_MODES.has(own.mode))) continue;
      const done = await mergeOne(folder, scratch, path, base, theirs, own ?? null).catch(() => false);
      if (done) merged.push(path);
    }
    return merged;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function mergeOne(folder: string, scratch: string, path: string, base: Entry, theirs: Entry, index: Entry | null): Promise<boolean> {
  const file = join(folder, path);
  const stats = lstatSync(file, { throwIfNoEntry: false });
  if (!stats?.isFile()) return false;
  // Hashed as git would stage it (its clean filters, line endings), so all three sides compare alike.
  const work = await gitValue(folder, ['hash-object', '-w', '--', path]);
  const mergedWork = await mergeBlobs(folder, scratch, work, base.blob, theirs.blob);
  if (!mergedWork) return false;
  const mergedIndex =
    index === null ? null : index.blob === work ? mergedWork : await mergeBlobs(folder, scratch, index.blob, base.blob, theirs.blob);
  if (index !== null && !mergedIndex) return false;
  // Saved again by the person while this merged: their newer file is left alone.
  if ((await gitValue(folder, ['hash-object', '--', path])) !== work) return false;
  // A mode the person did not change follows the merge's (an agent's chmod +x); one they changed stays theirs.
  const follow = (mode: string) => (mode === base.mode ? theirs.mode : mode);
  if (index !== null && mergedIndex)
    await git(folder, ['update-index', '-z', '--index-info'], { input: `${follow(index.mode)} ${mergedIndex}\t${path}\0` });
  // Written through a private index by checkout-index, so git's smudge filters and line endings apply as for any checkout.
  const privateIndex = { GIT_INDEX_FILE: join(scratch, 'index') };
  rmSync(privateIndex.GIT_INDEX_FILE, { force: true });
  const workMode = stats.mode & 0o100 ? '100755' : '100644';
  await git(folder, ['update-index', '-z', '--index-info'], { input: `${follow(workMode)} ${mergedWork}\t${path}\0`, env: privateIndex });
  await git(folder, ['checkout-index', '-f', '--', path], { env: privateIndex });
  return true;
}

/** A clean three-way merge of three blobs (`git merge-file`), as a new blob; null on a conflict or a binary file. */
async function mergeBlobs(folder: string, scratch: string, ours: string, base: string, theirs: string): Promise<string | null> {
  const [o, b, t] = ['ours', 'base', 'theirs'].map((name) => join(scratch, name)) as [string, string, string];
  await Promise.all([
    gitToFile(folder, ['cat-file', 'blob', ours], o),
    gitToFile(folder, ['cat-file', 'blob', base], b),
    gitToFile(folder, ['cat-file', 'blob', theirs], t),
  ]);
  // Exits with the number of conflicts, or 255 for a file it cannot merge (binary): only 0 is clean.
  const clean = await git(folder, ['merge-file', '-q', o, b, t]).then(
    () => true,
    () => false,
  );
  return clean ? gitValue(folder, ['hash-object', '-w', '--no-filters', '--', o]) : null;
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
