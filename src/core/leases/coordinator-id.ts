import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ProjectPaths } from '../project';
import { writeFileNoFollow } from '../files/no-follow';
import type { CoordinatorIdentity } from './coordinator-lease';

const ID = /^[0-9a-f-]{36}$/;

/**
 * Who this coordinator is among a team's: an id kept in its folder (so a coordinator restarted there is
 * the same one, and takes back a lease its crashed predecessor held without waiting for it to lapse),
 * with the machine's name, the folder and the pid to show.
 */
export function coordinatorIdentity(paths: ProjectPaths): CoordinatorIdentity {
  let id = savedCoordinatorId(paths);
  if (!id) {
    id = randomUUID();
    writeFileNoFollow(idFile(paths), `${id}\n`, 0o600);
  }
  return { id, host: hostname(), folder: paths.root, pid: process.pid };
}

const idFile = (paths: Pick<ProjectPaths, 'serviceDir'>) => join(paths.serviceDir, 'coordinator-id');

/** The id of the coordinator of this folder, if one ever started here (nothing is written). */
export function savedCoordinatorId(paths: Pick<ProjectPaths, 'serviceDir'>): string | null {
  const file = idFile(paths);
  const id = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return ID.test(id) ? id : null;
}
