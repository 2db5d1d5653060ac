import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProjectPaths } from '../project';
import { replaceFile } from '../files/no-follow';

/**
 * The port the project's coordinator last listened on when it was given none, kept so that a restart comes back at the
 * same address: a browser tab open on the window (its token in the address) and a bookmark keep working.
 */
const portFile = (paths: Pick<ProjectPaths, 'serviceDir'>) => join(paths.serviceDir, 'port');

/** The port kept, or null (none yet, or not a port a user's program may take). */
export function lastPort(paths: Pick<ProjectPaths, 'serviceDir'>): number | null {
  try {
    const text = readFileSync(portFile(paths), 'utf8').trim();
    const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
    return port >= 1024 && port <= 65535 ? port : null;
  } catch {
    return null;
  }
}

export function keepPort(paths: Pick<ProjectPaths, 'serviceDir'>, port: number): void {
  replaceFile(portFile(paths), `${port}\n`, { mode: 0o600 });
}
