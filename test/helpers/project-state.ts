import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';

/** SQLite's own side files: they change when the database is only read (a checkpoint, the shared-memory index). */
const SIDE_FILES = /\.db-(wal|shm|journal)$/;

/**
 * Everything a project holds, as one comparable text: every row of every table of its graph.db, read in
 * this process, and the bytes of every other file in the project folder (settings, upstream's files).
 * "Nothing changed" is then one comparison, stronger than `wg export` (which leaves out the settings,
 * agents, messages and the rest), and costs no `wg` start.
 */
export function projectState(projectDir: string): string {
  const db = new Database(join(projectDir, 'graph.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    // Sorted as text: some tables have no rowid to order by.
    const rows = Object.fromEntries(
      tables.map((table) => [
        table,
        db
          .prepare(`SELECT * FROM "${table}"`)
          .all()
          .map((row) => JSON.stringify(row))
          .sort(),
      ]),
    );
    return JSON.stringify({ rows, files: filesIn(projectDir) });
  } finally {
    db.close();
  }
}

function filesIn(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || SIDE_FILES.test(entry.name) || entry.name === 'graph.db') continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = readFileSync(path).toString('base64');
  }
  return files;
}
