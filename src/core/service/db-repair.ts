import { existsSync, renameSync, rmSync } from 'node:fs';
import { openSqlite } from '../store/sqlite-connection';
import { conflict, WgError } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import { probeCoordinator, silentWords } from './service-probe';
import { type Db, snapshot } from '../store/database';
import { clearDamage, recoveryAdvice } from '../store/db-damage';
import { checkDatabase, type DbCheck } from '../store/db-integrity';
import { isCorruptionError, isDiskFull, isReadOnlyError } from '../store/db-file';
import { salvageInto } from '../store/db-salvage';
import { recountWrong } from '../store/dependency-writes';
import { openProjectStore } from '../opening/open-store';

/** What `wg check --db --repair` did. */
export interface DbRepair {
  check: DbCheck;
  /** How graph.db was made again: from upstream's graph.jsonl, or from what SQLite could read of it; null: it was whole. */
  from: 'graph.jsonl' | 'salvage' | null;
  tasks: number | null;
  /** Tables where rows on broken pages were lost (salvage only). */
  lost: string[];
  /** Rows dropped because what they referred to was lost (salvage only). */
  orphans: number;
  /** Where the damaged file (and its -wal, -shm) now are. */
  kept: string | null;
  /** In a whole file: tasks whose wrong readiness count (`wg check`'s wrong_blocker_counts) was recounted. */
  recounted: number;
}

const SIDE_FILES = ['', '-wal', '-shm'];

/**
 * Makes a damaged graph.db whole again, keeping the damaged one beside it: beside upstream's
 * graph.jsonl, a new graph.db is built from it (it holds the graph as of the last sync; a salvage
 * would make the next sync remove from graph.jsonl every task the damage lost); elsewhere, from what
 * SQLite can still read (db-salvage.ts). Never while a coordinator has the file open.
 */
export async function repairDatabase(paths: ProjectPaths): Promise<DbRepair> {
  const check = checkDatabase(paths.db);
  if (check.ok)
    return { check, from: null, tasks: check.tasks, lost: [], orphans: 0, kept: null, recounted: await recounted(paths, check) };
  // A coordinator too busy to answer still has the file open: the lock says it runs.
  const running = await probeCoordinator(paths);
  if (running && 'silent' in running) throw conflict(`${silentWords(running.silent)}; stop it first (wg service stop)`);
  if (running) throw conflict(`a coordinator is running for this project (pid ${running.status.pid}); stop it first (wg service stop)`);
  const kept = `${paths.db}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  let salvaged: Awaited<ReturnType<typeof salvageInto>> | null = null;
  const fresh = `${paths.db}.salvage-${process.pid}`;
  if (check.upstream === null) {
    const source = openDamaged(paths.db);
    try {
      salvaged = salvageInto(source, fresh);
    } catch (error) {
      for (const suffix of ['', '-journal']) rmSync(`${fresh}${suffix}`, { force: true });
      throw error;
    } finally {
      source.close();
    }
  }
  for (const suffix of SIDE_FILES) if (existsSync(`${paths.db}${suffix}`)) renameSync(`${paths.db}${suffix}`, `${kept}${suffix}`);
  clearDamage(paths.db);
  if (salvaged !== null) renameSync(fresh, paths.db);
  // Opening it makes it (from graph.jsonl) or checks it (quick_check on a salvaged file is cheap beside the salvage).
  const { store } = await openProjectStore(paths);
  try {
    const tasks = (await store.core.get(store.core.build.selectFrom('tasks').select((eb) => eb.fn.countAll<number>().as('n'))))?.n ?? 0;
    return {
      check,
      from: salvaged ? 'salvage' : 'graph.jsonl',
      tasks,
      lost: salvaged?.damaged ?? [],
      orphans: salvaged?.orphans ?? 0,
      kept,
      recounted: 0,
    };
  } finally {
    await store.close();
  }
}

/** A whole graph.db's wrong readiness counts recounted, in one transaction (a running coordinator sees the commit). */
async function recounted(paths: ProjectPaths, check: DbCheck): Promise<number> {
  if (check.tasks === null) return 0;
  const { store } = await openProjectStore(paths);
  try {
    return await store.core.write((rev) => recountWrong(store.core, rev));
  } finally {
    await store.close();
  }
}

function openDamaged(path: string): Db {
  try {
    const db = openSqlite(path, { readonly: true, fileMustExist: true });
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  } catch (error) {
    if (isCorruptionError(error)) throw unsalvageable(path);
    if (!isReadOnlyError(error) && !isDiskFull(error)) throw error;
    try {
      return snapshot(path);
    } catch (inner) {
      throw isCorruptionError(inner) ? unsalvageable(path) : inner;
    }
  }
}

/**
 * Without its schema (page 1 and what it leads to) SQLite cannot find a single table in the file, so
 * there is nothing to copy: the way back is a backup, an export, or a fresh start.
 */
function unsalvageable(path: string): WgError {
  return new WgError(
    'unavailable',
    `nothing in ${path} can be salvaged: SQLite cannot read its list of tables; it was left as it is (${recoveryAdvice(path)}; a file 'wg export' wrote can be read into a fresh graph with 'wg import FILE')`,
  );
}
