import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { invalid } from '../shared/errors';
import { originName } from './origin-name';

/** A repository this daemon may work in: its name and the real path it had when the daemon started. */
export interface RepoEntry {
  name: string;
  path: string;
}

function realDir(path: string): string {
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    throw invalid(`REPO_PATHS: ${path} does not exist`);
  }
  if (!statSync(real).isDirectory()) throw invalid(`REPO_PATHS: ${path} is not a folder`);
  return real;
}

/**
 * REPO_PATHS: comma separated `name=path` pairs, or paths: a path is the repository its origin remote names
 * (`/home/dev/acme-app` cloned from github.com/acme/app is `acme/app`, as seed 003 has it), else, with no such remote,
 * its folder's name. Paths are resolved to their real paths now, once.
 */
export function parseRepoPaths(text: string): RepoEntry[] {
  const entries: RepoEntry[] = [];
  for (const item of text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf('=');
    const path = realDir(resolve(at > 0 ? item.slice(at + 1).trim() : item));
    const name = at > 0 ? item.slice(0, at).trim() : (originName(path) ?? basename(resolve(item)));
    if (!/^[\w-][\w.-]*(\/[\w-][\w.-]*)*$/.test(name) || name.split('/').some((p) => p === '..' || p === '.')) {
      throw invalid(`REPO_PATHS: '${name}' is not a repository name (e.g. acme/app)`);
    }
    if (entries.some((e) => e.name === name))
      throw invalid(
        `REPO_PATHS names '${name}' twice${at > 0 ? '' : ` (${item} is '${name}' by its origin remote or folder; name it: NAME=${item})`}`,
      );
    entries.push({ name, path });
  }
  if (entries.length === 0) throw invalid('REPO_PATHS is empty: name at least one repository (name=path, comma separated)');
  return entries;
}

export type RepoCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * The folder a job for `repo` runs in, or why it is refused. Only a name from REPO_PATHS (or the
 * exact path of one) is accepted, and the folder must still be the same real folder as at start:
 * a name with `..`, an absolute path elsewhere, or a symlink swapped in since are all refused.
 */
export function resolveRepo(repo: string, entries: readonly RepoEntry[]): RepoCheck {
  let entry = entries.find((e) => e.name === repo);
  if (!entry && isAbsolute(repo)) {
    let real: string | null = null;
    try {
      real = realpathSync(repo);
    } catch {
      real = null;
    }
    entry = entries.find((e) => e.path === real);
  }
  if (!entry)
    return { ok: false, reason: `repository '${repo}' is not one of this daemon's REPO_PATHS (${entries.map((e) => e.name).join(', ')})` };
  try {
    if (realpathSync(entry.path) !== entry.path)
      return { ok: false, reason: `${entry.path} is no longer the folder REPO_PATHS named at start` };
  } catch {
    return { ok: false, reason: `${entry.path} (repository '${entry.name}') is gone` };
  }
  return { ok: true, path: entry.path };
}
