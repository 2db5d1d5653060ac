import { git, splitNul } from './git';

/** Uncommitted work in a working tree, as `git status` sees it (ignored files excluded). */
export interface LocalChanges {
  /** Tracked files modified, staged, deleted or renamed (conflicted ones too). */
  tracked: string[];
  /** New files git does not track yet, each by its own path (a new folder's files each listed, not the folder). */
  untracked: string[];
  /** Tracked files with changes in the index (staged). */
  staged: string[];
  /** Paths `git status` reports as unmerged: a merge or rebase in progress. */
  unmerged: string[];
}

const UNMERGED = new Set(['DD', 'AU', 'UD', 'UA', 'DU', 'AA', 'UU']);

/**
 * Parses `git status --porcelain=v1 -z`: "XY path\0", and for a rename or copy "XY new\0old\0"
 * (the old name is its own NUL-terminated field). Paths stay byte-exact: no quoting with -z.
 */
function parsePorcelain(text: string): LocalChanges {
  const fields = splitNul(text);
  const changes: LocalChanges = { tracked: [], untracked: [], staged: [], unmerged: [] };
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    const code = field.slice(0, 2);
    const path = field.slice(3);
    if (code === '??') changes.untracked.push(path);
    else if (code !== '!!') {
      changes.tracked.push(path);
      if (UNMERGED.has(code)) changes.unmerged.push(path);
      else if (code[0] !== ' ') changes.staged.push(path);
      if (code[0] === 'R' || code[0] === 'C') i++; // skip the old name
    }
  }
  return changes;
}

/**
 * What is not committed in `folder`. `ignore`: paths a setup script made (a `node_modules` link, say),
 * which are not anyone's work. `only`: look at these paths alone.
 * Every untracked file is named, never a new folder as one entry: a folder the setup script made (`out/`) would
 * otherwise hide the files an agent later writes into it, which then read as the setup's and were left out of
 * its commit and removed with the worktree. Ignored files are not listed either way (a `node_modules` installed
 * by the setup script is ignored by the project).
 */
export async function localChanges(folder: string, ignore: readonly string[] = [], only?: readonly string[]): Promise<LocalChanges> {
  // Limited to `only` (literal paths): a few files of a big tree cost a few stats.
  const scope = ['--untracked-files=all', ...(only ? ['--', ...only] : [])];
  const { stdout } = await git(
    folder,
    ['status', '--porcelain=v1', '-z', '--no-renames', ...scope],
    only ? { env: { GIT_LITERAL_PATHSPECS: '1' } } : {},
  );
  const changes = parsePorcelain(stdout);
  if (ignore.length > 0) {
    const skip = new Set(ignore);
    changes.untracked = changes.untracked.filter((path) => !skip.has(path));
  }
  return changes;
}

/**
 * The git repositories among `untracked` (localChanges): `git status` names a folder holding one (a nested clone, a
 * `git init`, a worktree) as the folder, with a trailing `/`, where every other untracked file is named by itself.
 * Never to be committed: `git add` makes one a gitlink, a pointer to commits of another repository. Without the `/`.
 */
export function nestedRepositories(untracked: readonly string[]): string[] {
  return untracked.filter((path) => path.endsWith('/')).map((path) => path.slice(0, -1));
}
