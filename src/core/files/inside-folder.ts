import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';

/** How many links in a row are followed before a chain is taken to loop (Linux's own limit). */
const MAX_LINKS = 40;

/**
 * Where `path` is, every link on the way resolved: its folder's, and its own when it is a link (an output path is
 * written through one, files/output-file.ts), even a link to a file not made yet. The file itself may not exist.
 */
export function realTarget(path: string): string {
  let absolute = resolve(path);
  for (let hop = 0; hop < MAX_LINKS; hop++) {
    let link: string;
    try {
      if (!lstatSync(absolute).isSymbolicLink()) break;
      link = readlinkSync(absolute);
    } catch {
      break;
    }
    absolute = resolve(dirname(absolute), link);
  }
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
