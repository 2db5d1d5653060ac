/**
 * `npm run bench:service`: how long `wg service start` takes until the coordinator answers, and what the
 * idle daemon holds in memory, on a 20-task and a 10,000-task connected DAG (issue 30: ≤ 300 ms on an idle
 * machine). Wall times are medians of ROUNDS starts, each beside a `node -e 0` in the same round, so a
 * loaded machine shows as a slower Node too. Tasks use the manual executor: nothing is started.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { median } from './percentiles';
import { seededRandom } from '../helpers/seeded-random';

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const WG = resolve(process.env.WG_BIN ?? resolve(import.meta.dirname, '../../bin/wg.js'));
const work = mkdtempSync(join(tmpdir(), 'wg-service-bench-'));

const random = seededRandom(11);

function project(size: number): string {
  const dir = join(work, `p${size}`, '.workgraph');
  const paths = projectPaths(dir);
  ensureProjectDirs(paths);
  const store = new Store(paths.db);
  const ids: string[] = [];
  store.core.db.transaction(() => {
    for (let i = 0; i < size; i++) {
      const window = ids.slice(Math.max(0, i - 200));
      const after = window.length
        ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => window[Math.floor(random() * window.length)] as string))]
        : [];
      ids.push(store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i < 20 ? [] : after }, 'bench').id);
    }
    for (let i = 0; i < size * 0.3; i++) store.tasks.done(`t${i}`, {}, 'bench');
  })();
  store.close();
  wg(dir, ['config', '--executor', 'manual']);
  return dir;
}

function wg(dir: string, args: string[]): string {
  return execFileSync(process.execPath, [WG, ...args], { env: { ...process.env, WG_DIR: dir }, encoding: 'utf8' });
}

function wallMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

console.log(`wg: ${WG}; ${ROUNDS} rounds, medians; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log('| project | node -e 0 ms | service start ms | × node | idle daemon RSS MB |');
console.log('| --- | --- | --- | --- | --- |');
for (const size of [20, 10_000]) {
  const dir = project(size);
  const node: number[] = [];
  const start: number[] = [];
  const rss: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    node.push(wallMs(() => execFileSync(process.execPath, ['-e', '0'])));
    let pid = 0;
    start.push(wallMs(() => (pid = (JSON.parse(wg(dir, ['--json', 'service', 'start'])) as { pid: number }).pid)));
    // Idle: its first turn has run and nothing is happening.
    execFileSync('sleep', ['1']);
    rss.push(rssKb(pid));
    wg(dir, ['service', 'stop']);
  }
  const n = median(node);
  const s = median(start);
  console.log(`| ${size} tasks | ${n.toFixed(0)} | ${s.toFixed(0)} | ${(s / n).toFixed(2)} | ${(median(rss) / 1024).toFixed(1)} |`);
}
rmSync(work, { recursive: true, force: true });
