import { sql } from 'kysely';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { errorText, WgError } from '../../shared/errors';
import { readRegularFile } from '../files/regular-file';
import { importJsonl } from '../store/import-export';
import type { SqlConnection } from '../store/sql-connection';
import { StoreCore } from '../store/store-core';
import { whyUnreadable } from '../../shared/plain-failure';

/*
 * A folder upstream workgraph already uses has its graph in `graph.jsonl` beside where this app keeps
 * graph.db. The first time the database is made there, the graph is imported into it (the file is
 * only read, never changed); the project opens as it is. `meta` remembers that the file was looked at
 * and whether the import was announced yet, so exactly one process says so, once. The text imported
 * is kept (`upstream_import`) until the sync (upstream-sync/import-bases.ts) takes it as the version
 * both sides started from: a graph opened and not changed then has nothing to write back.
 */

export const UPSTREAM_GRAPH_FILE = 'graph.jsonl';

export interface ImportNotice {
  file: string;
  tasks: number;
}

export function upstreamGraphIn(wgDir: string): string | null {
  const file = join(wgDir, UPSTREAM_GRAPH_FILE);
  return existsSync(file) ? file : null;
}

async function setMeta(core: StoreCore, key: string, value: number): Promise<void> {
  await core.send(
    core.build
      .insertInto('meta')
      .values({ key, value })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
}

async function readMeta(core: StoreCore, key: string): Promise<number | null> {
  return (await core.get(core.build.selectFrom('meta').select('value').where('key', '=', key)))?.value ?? null;
}

/** Imports the file into `core` (inside a write) and marks it looked at and not yet announced. */
async function importInto(core: StoreCore, file: string | null): Promise<void> {
  await setMeta(core, 'upstream_checked', 1);
  if (file === null) return;
  let read: Awaited<ReturnType<typeof readRegularFile>>;
  try {
    read = readRegularFile(file);
  } catch (error) {
    if (error instanceof WgError) throw error;
    throw new WgError('invalid', `cannot read ${file}: ${whyUnreadable(error)}`);
  }
  if (read === null) throw new WgError('invalid', `cannot read ${file}: it was removed while being opened`);
  const { text } = read;
  const stamp = { ino: read.after.ino, size: read.after.size, mtimeMs: read.after.mtimeMs, birthMs: read.after.birthtimeMs };
  let imported: number;
  try {
    imported = (await importJsonl(core, text)).imported;
  } catch (error) {
    throw new WgError('invalid', `cannot import ${file} (left as it is): ${errorText(error)}`);
  }
  await core.conn.exec('CREATE TABLE IF NOT EXISTS upstream_import (rev INTEGER NOT NULL, stamp TEXT NOT NULL, text TEXT NOT NULL)');
  // A table of an import into SQLite only: not among the builder's tables.
  const rev = await core.currentRev();
  await core.send(sql`INSERT INTO upstream_import (rev, stamp, text) VALUES (${rev}, ${JSON.stringify(stamp)}, ${text})`);
  await setMeta(core, 'upstream_imported', imported);
  await setMeta(core, 'upstream_announced', 0);
}

/** For a database being created (before anyone sees it): import the folder's graph.jsonl, if any. */
export function importOnCreate(wgDir: string): (conn: SqlConnection) => Promise<void> {
  return async (conn) => {
    const core = new StoreCore(conn);
    await core.write(() => importInto(core, upstreamGraphIn(wgDir)));
  };
}

/** For a team's graph being created: the folder's graph.jsonl, if any, is not read in (`wg import` does that), and never will be. */
export function noImportOnCreate(): (conn: SqlConnection) => Promise<void> {
  return async (conn) => {
    const core = new StoreCore(conn);
    await core.write(() => importInto(core, null));
  };
}

/**
 * For an existing database never checked (made before this existed, and never holding a task): the
 * same import, under the write lock so that two processes cannot both do it.
 */
export async function importIfNeverChecked(core: StoreCore, wgDir: string): Promise<void> {
  if ((await readMeta(core, 'upstream_checked')) !== 0) return;
  await core.write(async () => {
    if ((await readMeta(core, 'upstream_checked')) !== 0) return;
    const empty = ((await core.get(core.build.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n'))))?.n ?? 0) === 0;
    await importInto(core, empty ? upstreamGraphIn(wgDir) : null);
  });
}

/** The import to announce, claimed by this process (only one claims it), or null. */
export async function claimImportNotice(core: StoreCore, wgDir: string, options: { readOnly: boolean }): Promise<ImportNotice | null> {
  if ((await readMeta(core, 'upstream_announced')) !== 0) return null;
  const tasks = (await readMeta(core, 'upstream_imported')) ?? 0;
  const notice = { file: join(wgDir, UPSTREAM_GRAPH_FILE), tasks };
  // A read-only project cannot remember having said it: say it each time.
  if (options.readOnly) return notice;
  const claimed =
    (await core.run(core.build.updateTable('meta').set({ value: 1 }).where('key', '=', 'upstream_announced').where('value', '=', 0)))
      .changes > 0;
  return claimed ? notice : null;
}

export function describeImport(notice: ImportNotice, dbPath: string | null): string {
  const tasks = `${notice.tasks} task${notice.tasks === 1 ? '' : 's'}`;
  const where = dbPath === null ? 'read into memory (the project is read-only)' : `now kept in ${dbPath}`;
  // A writable project is kept in step with the file from now on (upstream-sync/); a read-only one is a copy.
  const file = dbPath === null ? 'the file is left as it is' : "the file is left as it is; from now on each tool's changes reach the other";
  return `imported ${tasks} from ${notice.file} (${file}); ${where}`;
}
