import { realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** Where `path` is, its folder's links resolved (the file itself may not exist yet). */
export function realTarget(path: string): string {
  const absolute = resolve(path);
  try {
    return join(realpathSync(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

/** Whether `path` is `folder` or inside it (both as given: resolve links first, see realTarget). */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
}

/**
 * Whether the file `path` would be written inside `folder`, as named or through links (a link's target counted,
 * not its name); the folder need not exist yet.
 */
export function writesInside(folder: string, path: string): boolean {
  if (isInside(resolve(folder), resolve(path))) return true;
  try {
    return isInside(realpathSync(folder), realTarget(path));
  } catch {
    return false;
  }
}
