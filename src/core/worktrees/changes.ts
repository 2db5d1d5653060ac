import { git, splitNul } from './git';

/** Uncommitted work in a working tree, as `git status` sees it (ignored files excluded). */
export interface LocalChanges {
  /** Tracked files modified, staged, deleted or renamed (conflicted ones too). */
  tracked: string[];
  /** New files git does not track yet (a wholly new folder is one entry, ending in '/'). */
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
 */
export async function localChanges(folder: string, ignore: readonly string[] = [], only?: readonly string[]): Promise<LocalChanges> {
  // Limited to `only` (literal paths, each untracked file named): a few files of a big tree cost a few stats.
  const scope = only ? ['--untracked-files=all', '--', ...only] : ['--untracked-files=normal'];
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
