import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitValue, splitNul } from './git';

/** A tree entry's mode for a gitlink: a pointer to a commit of another repository (a submodule's). */
const GITLINK = '160000';

/** The paths .gitmodules in `tree` names as submodules' (none without one). */
async function declaredSubmodules(cwd: string, tree: string): Promise<Set<string>> {
  const spec = `${tree}:.gitmodules`;
  if ((await git(cwd, ['cat-file', '-e', spec], { okCodes: [1, 128] })).exitCode !== 0) return new Set();
  // -z: each entry "key\nvalue\0"; exit 1 when it names none.
  const { stdout } = await git(cwd, ['config', '--blob', spec, '-z', '--get-regexp', '^submodule\\..*\\.path$'], { okCodes: [1] });
  return new Set(splitNul(stdout).map((entry) => entry.slice(entry.indexOf('\n') + 1)));
}

/**
 * `tree` (a merge's result on the base tip, whose tree is `tipTree`) without the gitlinks it brings that no .gitmodules
 * names: what `git add` makes of a git repository inside a worktree (an agent's nested worktree, clone or `git init`).
 * Merged, the base branch would hold a pointer to commits its clones lack, with nothing saying where they are (found:
 * `160000 commit …` on a person's main, no .gitmodules). Each such path is left as the base tip has it. A submodule
 * .gitmodules names (a person's own, its pointer moved by the agent) merges as any change. `gitlinks`: the paths left out.
 */
export async function withoutStrayGitlinks(cwd: string, tipTree: string, tree: string): Promise<{ tree: string; gitlinks: string[] }> {
  if (tree === tipTree) return { tree, gitlinks: [] };
  // -z: ":oldmode newmode oldsha newsha status\0path\0" for each changed path.
  const fields = splitNul((await git(cwd, ['diff-tree', '-r', '-z', '--no-renames', tipTree, tree])).stdout);
  const links: Array<{ path: string; mode: string; sha: string }> = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [oldMode = '', newMode = '', oldSha = ''] = (fields[i] as string).slice(1).split(' ');
    if (newMode === GITLINK) links.push({ path: fields[i + 1] as string, mode: oldMode, sha: oldSha });
  }
  if (links.length === 0) return { tree, gitlinks: [] };
  const declared = await declaredSubmodules(cwd, tree);
  const stray = links.filter((link) => !declared.has(link.path));
  if (stray.length === 0) return { tree, gitlinks: [] };
  // A private index: the tree read in, each such path put back as the tip has it (mode 0: not there), written out.
  const index = join(tmpdir(), `wg-gitlinks-${process.pid}-${randomBytes(6).toString('hex')}.index`);
  const env = { GIT_INDEX_FILE: index };
  try {
    await git(cwd, ['read-tree', tree], { env });
    const input = stray.map((link) => `${link.mode} ${link.sha}\t${link.path}\0`).join('');
    await git(cwd, ['update-index', '-z', '--index-info'], { env, input });
    return { tree: await gitValue(cwd, ['write-tree'], { env }), gitlinks: stray.map((link) => link.path) };
  } finally {
    rmSync(index, { force: true });
  }
}
