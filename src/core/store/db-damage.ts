import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { replaceFile } from '../files/no-follow';

/*
 * A graph.db SQLite found damaged stays refused until a person has dealt with it. SQLite's own check
 * of every page (quick_check) costs a noticeable part of a start on a large graph.db (see
 * test/bench/db-check.bench.ts), too much for every `wg` an agent runs, so it runs at coordinator
 * start, on demand (`wg check --db`), and when a file's size disagrees with its header. Damage met any
 * other way is SQLite's SQLITE_CORRUPT, only where a statement reads the broken page: a write elsewhere
 * would go on into the file. So whoever finds the damage leaves this note beside the file
 * (`graph.db-damaged`), and every later opening refuses the file at the cost of one failed open. The
 * note names the file (inode and birth time): a file put in its place (a restore, a fresh start) is not
 * refused for it; one restored by copying over it is the same file, and `wg check --db` clears the note
 * once SQLite finds the file whole.
 */

interface DamageNote {
  ino: number;
  /** Birth time: an inode number can be reused at once by the next file made (a restore after rm). */
  born: number;
  found_at: string;
  detail: string;
}

const notePath = (db: string) => `${db}-damaged`;

/** Leaves the note (best effort: a full or read-only disk only loses the memory, never the refusal now). */
export function recordDamage(db: string, detail: string): void {
  try {
    const stats = statSync(db);
    const note: DamageNote = { ino: stats.ino, born: stats.birthtimeMs, found_at: new Date().toISOString(), detail };
    replaceFile(notePath(db), `${JSON.stringify(note)}\n`, { mode: 0o644 });
  } catch {
    // The refusal that follows still says it; the next check finds the damage again.
  }
}

/** What SQLite said when the damage was found, while the note still names this very file; else null. */
export function knownDamage(db: string): string | null {
  let note: Partial<DamageNote>;
  try {
    note = JSON.parse(readFileSync(notePath(db), 'utf8')) as Partial<DamageNote>;
  } catch {
    return null;
  }
  try {
    const stats = statSync(db);
    if (stats.ino === note.ino && stats.birthtimeMs === note.born) return typeof note.detail === 'string' ? note.detail : 'damaged';
  } catch {
    // No graph.db: nothing to refuse.
  }
  return null;
}

/** After SQLite found the file whole (`wg check --db`), or it was replaced. */
export function clearDamage(db: string): void {
  rmSync(notePath(db), { force: true });
}

/**
 * What a person can do about a damaged graph.db, in a few words: the copy a project beside upstream's
 * `wg` keeps in graph.jsonl (a new graph.db is built from it), else a backup or a fresh start. The WAL
 * and shared-memory files go with it: left behind, SQLite would replay them into the next graph.db.
 */
export function recoveryAdvice(db: string): string {
  const name = basename(db);
  const away = `move ${name}, ${name}-wal and ${name}-shm away`;
  const jsonl = upstreamCopy(db);
  const what = jsonl !== null ? `${away}: the next wg rebuilds it from ${jsonl}` : `restore it from a backup, or ${away} to start afresh`;
  // Restored by copying over it, it is the same file to the note: checked again, it is used again.
  return `${what}; wg check --db checks it again`;
}

/** The project's graph.jsonl (upstream's copy of the graph, kept in step), if there is one. */
export function upstreamCopy(db: string): string | null {
  const folder = dirname(db);
  const candidates = [join(folder, 'graph.jsonl')];
  // In a folder upstream uses, graph.db is in the app's own desktop/ below graph.jsonl (project.ts).
  if (basename(folder) === 'desktop') candidates.push(join(dirname(folder), 'graph.jsonl'));
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}
