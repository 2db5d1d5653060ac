import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that ends: each missing folder is made once, its parents first. Node's own recursive
 * mkdir never returns where a parent exists but a child cannot be made in it (`/proc/self`: EEXIST on
 * the parent, ENOENT on the child, for ever); this one fails there with the child's error.
 */
export function makeFolder(path: string, mode: number): void {
  try {
    mkdirSync(path, { mode });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A folder there already is what was asked for; a file there is the error it is.
    if (code === 'EEXIST' && statSync(path).isDirectory()) return;
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path) throw error;
    makeFolder(parent, mode);
    mkdirSync(path, { mode });
  }
}
