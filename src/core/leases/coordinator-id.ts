import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
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
 *
 * The file names the machine and folder the id was made for: a folder copied to make "another machine" (cp -a of
 * .workgraph, a synced home folder) would otherwise start as the original's coordinator, take its lease at a new
 * epoch and fence the healthy original, whose runs then ran twice. Elsewhere, the id is made anew.
 */
export function coordinatorIdentity(paths: ProjectPaths): CoordinatorIdentity {
  const here = { host: hostname(), folder: realFolder(paths.root) };
  const saved = savedFile(paths);
  let id = saved && (saved.madeFor === null || sameFolder(saved.madeFor, here)) ? saved.id : null;
  if (!id || saved?.madeFor === null) {
    // A file of an earlier version (the id alone) is taken as this folder's and stamped from now on.
    id ??= randomUUID();
    writeFileNoFollow(idFile(paths), `${id}\n${here.host}\n${here.folder}\n`, 0o600);
  }
  return { id, host: here.host, folder: paths.root, pid: process.pid };
}

const idFile = (paths: Pick<ProjectPaths, 'serviceDir'>) => join(paths.serviceDir, 'coordinator-id');

interface Place {
  host: string;
  folder: string;
}

const sameFolder = (a: Place, b: Place) => a.host === b.host && a.folder === b.folder;

/** The folder as the file system names it, whatever link it was reached through. */
function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

/** The file's id and where it was made (null: a file of an earlier version, which said only the id). */
function savedFile(paths: Pick<ProjectPaths, 'serviceDir'>): { id: string; madeFor: Place | null } | null {
  const file = idFile(paths);
  const [id = '', host, folder] = existsSync(file) ? readFileSync(file, 'utf8').split('\n') : [];
  if (!ID.test(id.trim())) return null;
  return { id: id.trim(), madeFor: host && folder ? { host, folder } : null };
}

/** The id of the coordinator of this folder, if one ever started here (nothing is written). */
export function savedCoordinatorId(paths: Pick<ProjectPaths, 'serviceDir' | 'root'>): string | null {
  const saved = savedFile(paths);
  if (!saved) return null;
  return saved.madeFor === null || sameFolder(saved.madeFor, { host: hostname(), folder: realFolder(paths.root) }) ? saved.id : null;
}
