import { execFileSync } from 'node:child_process';

/** `git@host:owner/name.git` (scp-like) or `scheme://[user@]host[:port]/owner/name[.git]`: the path, without `.git`. */
function pathOfRemote(remote: string): string | null {
  const scp = /^[\w.-]+@[\w.-]+:(?!\/)(.+)$/.exec(remote);
  let path: string | null = scp?.[1] ?? null;
  if (path === null) {
    try {
      const url = new URL(remote);
      // A local remote (file://, or a plain path) names a folder on this machine, not a repository of a forge.
      if (url.protocol === 'file:' || url.hostname === '') return null;
      path = decodeURIComponent(url.pathname);
    } catch {
      return null;
    }
  }
  const name = path.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return name.includes('/') ? name : null;
}

/**
 * The repository a checkout is, as its origin remote names it (`acme/app` for git@github.com:acme/app.git), or null
 * with none (no remote, a local one, git missing). Seed 003's path-only REPO_PATHS (`/home/dev/projects/acme-app`)
 * serves tickets "for repo acme/app": the folder's own name is not the repository's.
 */
export function originName(dir: string): string | null {
  let remote: string;
  try {
    remote = execFileSync('git', ['-C', dir, 'remote', 'get-url', 'origin'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).trim();
  } catch {
    return null;
  }
  return pathOfRemote(remote);
}
