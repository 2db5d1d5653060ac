/**
 * `npm run bench:store`: costs of `wg add`, `wg done` and `wg ready` at 1k, 10k and 100k tasks, medians,
 * measured side by side in one run. In-process numbers are the store itself; "CLI" numbers are whole
 * `wg` processes (dominated by Node start-up, so they should not grow with the graph).
 * WG_BASELINE=/path/to/other/checkout/bin/wg.js measures that checkout's store and `wg` too, on the same
 * graph made by its own store, right after this build's at each size; SIZES=1000,10000 picks the sizes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { inOneTransaction, storeOf } from './store-of';
import { fmt, median, timeMs, timesMs } from './percentiles';
import { seededRandom } from '../helpers/seeded-random';

const SIZES = (process.env.SIZES ?? '1000,10000,100000').split(',').map(Number);
const SAMPLES = 200;
const WG = resolve(import.meta.dirname, '../../bin/wg.js');
const BASELINE = process.env.WG_BASELINE ? resolve(process.env.WG_BASELINE) : null;

/** A layered random DAG: each task depends on up to three of the 200 before it; the first 30% are done. */
async function populate(store: Store, size: number): Promise<string[]> {
  const random = seededRandom(42 + size);
  const ids: string[] = [];
  await inOneTransaction(store, async () => {
    for (let i = 0; i < size; i++) {
      const window = ids.slice(Math.max(0, i - 200));
      const after = window.length
        ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => window[Math.floor(random() * window.length)] as string))]
        : [];
      ids.push((await store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i < 20 ? [] : after }, 'bench')).id);
    }
    for (let i = 0; i < size * 0.3; i++) await store.tasks.done(`t${i}`, {}, 'bench');
  });
  return ids;
}

function cli(wg: string, dir: string, args: string[]): number {
  const start = process.hrtime.bigint();
  execFileSync('node', [wg, '--dir', dir, ...args], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Figures {
  add: number;
  done: number;
  ready: number;
  cliAdd: number;
  cliReady: number;
}

async function measure(size: number, wg: string, label: string): Promise<Figures> {
  const StoreOf = await storeOf(wg);
  const dir = mkdtempSync(join(tmpdir(), 'wg-bench-'));
  const paths = projectPaths(join(dir, '.workgraph'));
  ensureProjectDirs(paths);
  const store = await StoreOf(paths.db);
  const fill = await timeMs(() => populate(store, size));
  const add = median(await timesMs(SAMPLES, (n) => store.tasks.add({ title: `extra ${n}`, after: [`t${size - 1 - (n % 100)}`] }, 'bench')));
  const readyIds = (await store.ready()).map((t) => t.id).slice(0, SAMPLES);
  const done = median(await timesMs(readyIds.length, (i) => store.tasks.done(readyIds[i] as string, {}, 'bench')));
  let readyCount = 0;
  const ready = median(await timesMs(50, async () => (readyCount = (await store.ready()).length)));
  await store.close();
  const cliAdd = median(Array.from({ length: 7 }, (_, i) => cli(wg, dir, ['add', `cli ${i}`])));
  const cliReady = median(Array.from({ length: 7 }, () => cli(wg, dir, ['ready', '--json'])));
  console.log(
    `${label}${String(size).padStart(7)} tasks | add ${fmt(add).padStart(9)} | done ${fmt(done).padStart(9)} | ready ${fmt(ready).padStart(9)} (${readyCount} ready)` +
      ` | CLI add ${fmt(cliAdd)} | CLI ready ${fmt(cliReady)} | fill ${(fill / 1000).toFixed(1)} s`,
  );
  rmSync(dir, { recursive: true, force: true });
  return { add, done, ready, cliAdd, cliReady };
}

const results = new Map<number, Figures>();
for (const size of SIZES) {
  const ours = await measure(size, WG, BASELINE ? 'this build ' : '');
  results.set(size, ours);
  if (!BASELINE) continue;
  const theirs = await measure(size, BASELINE, 'baseline   ');
  const ratio = (key: keyof Figures) => `${key} ${(ours[key] / theirs[key]).toFixed(2)}×`;
  console.log(`           this build / baseline: ${(['add', 'done', 'ready', 'cliAdd', 'cliReady'] as const).map(ratio).join(', ')}`);
}
const small = results.get(1_000);
const large = results.get(100_000);
if (small && large) {
  console.log(
    `\nmutation cost 100k / 1k: add ${(large.add / small.add).toFixed(2)}×, done ${(large.done / small.done).toFixed(2)}× (goal ≤ 2×)`,
  );
  console.log(`ready at 100k: ${fmt(large.ready)} (goal < 50 ms)`);
}
