/**
 * `npm run bench:service`: how long `wg service start` takes until the coordinator answers, and what the
 * idle daemon holds in memory, on a 20-task and a 10,000-task connected DAG (issue 30: ≤ 300 ms on an idle
 * machine). Wall times are medians of ROUNDS starts, each beside a `node -e 0` in the same round, so a
 * loaded machine shows as a slower Node too. Tasks use the manual executor: nothing is started.
 * WG_BASELINE=<other checkout>/bin/wg.js measures that build too, in the same rounds; NODE_BIN runs both
 * under another Node (the daemon runs under the Node that started it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { leaveOutMachineCertificates } from '../helpers/machine-certificates';
import { median } from './percentiles';
import { seededRandom } from '../helpers/seeded-random';

const certificates = leaveOutMachineCertificates();
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const WG = resolve(process.env.WG_BIN ?? resolve(import.meta.dirname, '../../bin/wg.js'));
const BASELINE = process.env.WG_BASELINE ? resolve(process.env.WG_BASELINE) : null;
const NODE = process.env.NODE_BIN ?? process.execPath;
const work = mkdtempSync(join(tmpdir(), 'wg-service-bench-'));

const random = seededRandom(11);

async function project(size: number): Promise<string> {
  const dir = join(work, `p${size}`, '.workgraph');
  const paths = projectPaths(dir);
  ensureProjectDirs(paths);
  const store = await Store.open(paths.db);
  const ids: string[] = [];
  await store.core.write(async () => {
    for (let i = 0; i < size; i++) {
      const window = ids.slice(Math.max(0, i - 200));
      const after = window.length
        ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => window[Math.floor(random() * window.length)] as string))]
        : [];
      ids.push((await store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i < 20 ? [] : after }, 'bench')).id);
    }
    for (let i = 0; i < size * 0.3; i++) await store.tasks.done(`t${i}`, {}, 'bench');
  });
  await store.close();
  wg(WG, dir, ['config', '--executor', 'manual']);
  return dir;
}

function wg(build: string, dir: string, args: string[]): string {
  return execFileSync(NODE, [build, ...args], { env: { ...process.env, WG_DIR: dir }, encoding: 'utf8' });
}

function wallMs(action: () => void): number {
  const start = process.hrtime.bigint();
  action();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? Number.NaN);

const builds = [WG, ...(BASELINE ? [BASELINE] : [])];
console.log(
  `wg: ${WG}${BASELINE ? `; baseline: ${BASELINE}` : ''}; node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()}; ${ROUNDS} rounds, medians; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
if (certificates) console.log(certificates);
console.log('| project | build | node -e 0 ms | service start ms | × node | idle daemon RSS MB |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const size of [20, 10_000]) {
  const dir = await project(size);
  const node: number[] = [];
  const start = builds.map((): number[] => []);
  const rss = builds.map((): number[] => []);
  for (let round = 0; round < ROUNDS; round++) {
    node.push(wallMs(() => execFileSync(NODE, ['-e', '0'])));
    builds.forEach((build, b) => {
      let pid = 0;
      start[b]?.push(wallMs(() => (pid = (JSON.parse(wg(build, dir, ['--json', 'service', 'start'])) as { pid: number }).pid)));
      // Idle: its first turn has run and nothing is happening.
      execFileSync('sleep', ['1']);
      rss[b]?.push(rssKb(pid));
      wg(build, dir, ['service', 'stop']);
    });
  }
  const n = median(node);
  builds.forEach((build, b) => {
    const s = median(start[b] ?? []);
    const label = build === WG ? 'this' : 'baseline';
    console.log(
      `| ${size} tasks | ${label} | ${n.toFixed(0)} | ${s.toFixed(0)} | ${(s / n).toFixed(2)} | ${(median(rss[b] ?? []) / 1024).toFixed(1)} |`,
    );
  });
}
rmSync(work, { recursive: true, force: true });
