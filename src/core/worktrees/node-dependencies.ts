import { mkdirSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The default setup of a new worktree when the project has no setup script: a Node project (a
 * package.json in the project folder, and its installed node_modules) gets a node_modules folder
 * at the same place in the worktree, holding a link to each entry of the project's. Its scripts and
 * tests then run there as in the project, in a few milliseconds and without the network. A real
 * folder, not one link: the usual `.gitignore` line `node_modules/` matches folders only, so a link
 * named node_modules would be an untracked file an agent's `git add -A` commits. Nothing is
 * installed; a project that wants its own copy says so in `.workgraph/worktree-setup.sh` (`npm ci`,
 * say), which replaces this default. Returns whether it made anything.
 */
export function linkNodeModules(projectFolder: string, worktreeFolder: string): boolean {
  const installed = join(projectFolder, 'node_modules');
  const target = join(worktreeFolder, 'node_modules');
  if (!statSync(join(worktreeFolder, 'package.json'), { throwIfNoEntry: false })?.isFile()) return false;
  if (!statSync(installed, { throwIfNoEntry: false })?.isDirectory() || statSync(target, { throwIfNoEntry: false })) return false;
  mkdirSync(target);
  // Node resolves a linked package to its real path, so its own dependencies are found in the project's folder.
  // A junction on Windows needs no privilege; elsewhere the type is ignored.
  for (const entry of readdirSync(installed)) symlinkSync(join(installed, entry), join(target, entry), 'junction');
  return true;
}
