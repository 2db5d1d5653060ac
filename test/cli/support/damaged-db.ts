import { closeSync, cpSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { seededRandom } from '../../helpers/seeded-random';
import { TempProject } from '../../helpers/wg-cli';

/**
 * A graph.db damaged in the middle, as damaged-graph.test.ts (the commands in-process) and
 * damaged-graph.process.test.ts (the coordinator, and upstream's lock) make it: one page of the tasks table
 * overwritten, as a bad sector or a stray write leaves it.
 */
export const TASKS = 300;

/** 300 tasks with logs, and 100 of upstream's other nodes, as graph.jsonl lines. */
export function graphLines(): string {
  const log = (i: number) =>
    [1, 2, 3].map((n) => ({ timestamp: '2026-01-01T00:00:00Z', actor: 'agent', message: `Step ${n} of task ${i}: `.padEnd(200, '.') }));
  const lines = Array.from({ length: TASKS }, (_, i) =>
    JSON.stringify({ kind: 'task', id: `t${i}`, title: `Task ${i}`, description: `What task ${i} is about. `.repeat(20), log: log(i) }),
  );
  // Upstream's other nodes, kept for `wg export`: nothing else reads them.
  const nodes = Array.from({ length: 100 }, (_, i) =>
    JSON.stringify({ kind: 'resource', id: `r${i}`, notes: `Resource ${i}. `.repeat(40) }),
  );
  return `${[...lines, ...nodes].join('\n')}\n`;
}

/** A project of TASKS tasks imported by `wg import` (added to `projects`, for the test file to remove), and its graph.db. */
export async function importedProject(projects: TempProject[]): Promise<{ p: TempProject; db: string }> {
  const p = new TempProject('wg-broken-');
  projects.push(p);
  cpSync(join(await importedOnce(), '.workgraph'), join(p.root, '.workgraph'), { recursive: true });
  return { p, db: join(p.root, '.workgraph', 'graph.db') };
}

/**
 * The folder of a project made by `wg init` and `wg import` of graphLines(), once per test process: each test then
 * starts from a copy. The import of 300 tasks with their logs took most of each test's time, and, the whole suite
 * running beside it, more than the test's time.
 */
let imported: Promise<string> | undefined;
function importedOnce(): Promise<string> {
  imported ??= (async () => {
    const p = new TempProject('wg-broken-template-');
    process.once('exit', () => p.remove());
    await p.ok(['init']);
    const file = join(p.root, 'tasks.jsonl');
    writeFileSync(file, graphLines());
    await p.ok(['import', file]);
    return p.root;
  })();
  return imported;
}

/** Overwrites the middle leaf page of a table (found with SQLite's dbstat), or every one, with garbage. */
export function damageMiddle(db: string, table: 'tasks' | 'other_nodes', which: 'middle' | 'every' = 'middle'): void {
  const reader = new Database(db);
  // Everything in graph.db itself first (a WAL would hold newer copies of the page).
  reader.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = reader
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all(table) as number[];
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  reader.close();
  expect(leaves.length).toBeGreaterThan(10);
  // Written in place, page by page, as a stray write would: the rest of the file never changes.
  const fd = openSync(db, 'r+');
  try {
    for (const page of which === 'every' ? leaves : [leaves[Math.floor(leaves.length / 2)] as number]) {
      writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Keeps the middle tasks leaf's 8-byte header and writes random bytes over the rest of it: a page
 * SQLite still takes for a leaf, whose cells are garbage (rowids out of order, out of range, or
 * plausible but wrong), rather than one it refuses outright as 0xa5 everywhere makes it.
 */
export function garbleCells(db: string, seed: number): void {
  const reader = new Database(db);
  reader.pragma('wal_checkpoint(TRUNCATE)');
  const leaves = reader
    .prepare("SELECT pageno FROM dbstat WHERE name = 'tasks' AND pagetype = 'leaf' ORDER BY pageno")
    .pluck()
    .all() as number[];
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  reader.close();
  const random = seededRandom(seed);
  const garbage = Buffer.from(Array.from({ length: pageSize - 8 }, () => Math.floor(random() * 256)));
  const fd = openSync(db, 'r+');
  try {
    writeSync(fd, garbage, 0, garbage.length, ((leaves[Math.floor(leaves.length / 2)] as number) - 1) * pageSize + 8);
  } finally {
    closeSync(fd);
  }
}

/** The tasks SQLite can still read one by one (by rowid, as the rows were numbered on import). */
export function readableOneByOne(db: string): string[] {
  const reader = new Database(db, { readonly: true });
  const one = reader.prepare('SELECT id FROM tasks WHERE rowid = ?').pluck();
  const ids: string[] = [];
  for (let rowid = 1; rowid <= TASKS; rowid++) {
    try {
      const id = one.get(rowid);
      if (typeof id === 'string') ids.push(id);
    } catch {
      // A broken page under this rowid: the task is not readable by itself.
    }
  }
  reader.close();
  return ids.sort();
}

export const RECOVER =
  'restore it from a backup, or move graph.db, graph.db-wal and graph.db-shm away to start afresh; wg check --db checks it again';
