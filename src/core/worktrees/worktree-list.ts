import { git } from './git';

/** One entry of `git worktree list --porcelain`. */
export interface GitWorktree {
  path: string;
  head: string | null;
  /** The short branch name checked out there; null when detached (or bare). */
  branch: string | null;
  bare: boolean;
  /** Registered, but its folder is gone. */
  prunable: boolean;
  /** Locked (`git worktree lock`, as Claude Code locks the worktrees it makes): git removes it only when forced twice. */
  locked: boolean;
}

/** Parses `git worktree list --porcelain -z`: attribute lines NUL-terminated, worktrees separated by an empty one. */
function parseWorktreeList(text: string): GitWorktree[] {
  const worktrees: GitWorktree[] = [];
  let current: GitWorktree | null = null;
  for (const line of text.split('\0')) {
    if (line === '') {
      if (current) worktrees.push(current);
      current = null;
      continue;
    }
    const space = line.indexOf(' ');
    const key = space < 0 ? line : line.slice(0, space);
    const value = space < 0 ? '' : line.slice(space + 1);
    if (key === 'worktree') current = { path: value, head: null, branch: null, bare: false, prunable: false, locked: false };
    else if (!current) continue;
    else if (key === 'HEAD') current.head = value;
    else if (key === 'branch') current.branch = value.replace(/^refs\/heads\//, '');
    else if (key === 'bare') current.bare = true;
    else if (key === 'prunable') current.prunable = true;
    else if (key === 'locked') current.locked = true;
  }
  if (current) worktrees.push(current);
  return worktrees;
}

export async function listGitWorktrees(cwd: string): Promise<GitWorktree[]> {
  return parseWorktreeList((await git(cwd, ['worktree', 'list', '--porcelain', '-z'])).stdout);
}
