/**
 * `npx tsx test/bench/db-check.bench.ts`: what SQLite's own checks of graph.db cost on a 10,000-task
 * project (descriptions, nine log lines a task, 30% done: about 20 MB), beside what every `wg` pays to
 * open it and read a count. Medians of 11, side by side in one run. quick_check runs at coordinator
 * start (issue 27, item 5); integrity_check on `wg check --db`; neither on every `wg`.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { appendLog } from '../../src/core/store/task-writes';
import { fmt, median, timeMs } from './percentiles';

const TASKS = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'wg-bench-check-'));
const paths = projectPaths(join(dir, '.workgraph'));
ensureProjectDirs(paths);
const store = await Store.open(paths.db);
await store.core.write(async () => {
  for (let i = 0; i < TASKS; i++) {
    const after = i >= 20 ? [...new Set([`t${i - 1 - (i % 7)}`, `t${i - 3 - (i % 11)}`])] : [];
    await store.tasks.add(
      { title: `Task ${i}: do the thing number ${i}`, id: `t${i}`, description: `Describe ${i} `.repeat(25), after },
      'bench',
    );
    for (let k = 0; k < 9; k++)
      await appendLog(store.core, `t${i}`, 'agent-x', `progress line ${k} for task ${i}: ran the tests, 42 passed, edited src/file${k}.ts`);
  }
  for (let i = 0; i < TASKS * 0.3; i++) await store.tasks.done(`t${i}`, {}, 'bench');
});
await store.close();

const samples = { open: [] as number[], quick: [] as number[], integrity: [] as number[] };
for (let i = 0; i < 11; i++) {
  samples.open.push(
    await timeMs(() => {
      const db = new Database(paths.db);
      db.prepare('SELECT count(*) FROM tasks').get();
      db.close();
    }),
  );
  samples.quick.push(
    await timeMs(() => {
      const db = new Database(paths.db);
      db.pragma('quick_check');
      db.close();
    }),
  );
  samples.integrity.push(
    await timeMs(() => {
      const db = new Database(paths.db);
      db.pragma('integrity_check');
      db.close();
    }),
  );
}
const open = median(samples.open);
console.log(`graph.db: ${TASKS} tasks, ${(statSync(paths.db).size / 1e6).toFixed(1)} MB`);
console.log(`open + count:    ${fmt(open)}`);
console.log(`quick_check:     ${fmt(median(samples.quick))} (${(median(samples.quick) / open).toFixed(0)}x)`);
console.log(`integrity_check: ${fmt(median(samples.integrity))} (${(median(samples.integrity) / open).toFixed(0)}x)`);
rmSync(dir, { recursive: true, force: true });
