/**
 * `npm run bench:upstream-sync`: what keeping graph.jsonl in step costs, on upstream-shaped graphs of
 * 1,000 and 5,000 tasks (each with skills, a token_usage, three log entries: ~700 bytes a line), medians
 * measured side by side in one run:
 *   - the look every `wg` command and every coordinator commit makes when nothing changed (no lock);
 *   - a change here written out (upstream's lock through flock(1), merge, temp file, rename);
 *   - a change upstream made taken in (no lock): a task's title, and a new log entry on a hub task that waits on 500
 *     others and has 500 entries (the shape of two-tools.process.test.ts, where upstream's wg writes in a loop);
 *   - the first open of the folder, which imports the whole graph.jsonl;
 *   - whole `wg log` processes in the upstream folder against the same graph with no graph.jsonl.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths } from '../../src/core/project';
import { writeGraphFile } from '../../src/core/upstream-sync/graph-file';
import { GraphSync } from '../../src/core/upstream-sync/graph-sync';
import { fmt, median, timeMs } from './percentiles';

const SIZES = [1_000, 5_000];
const SAMPLES = 30;
const CLI_SAMPLES = 9;
const WG = resolve(import.meta.dirname, '../../bin/wg.js');

function upstreamLine(i: number): string {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s + i)).toISOString().replace('Z', '+00:00');
  return JSON.stringify({
    kind: 'task',
    id: `t${i}`,
    title: `Task ${i}`,
    description: `Do part ${i} of the work`,
    status: i % 3 === 0 ? 'done' : 'open',
    priority: 10,
    after: i > 20 ? [`t${i - 1 - (i % 7)}`, `t${i - 20}`] : [],
    tags: ['bench', `group-${i % 10}`],
    skills: ['rust'],
    created_at: at(0),
    log: [0, 1, 2].map((k) => ({ timestamp: at(k), actor: 'coordinator', message: `step ${k} of task ${i}` })),
    token_usage: { cost_usd: 0.01, input_tokens: 1000, output_tokens: 200 },
    last_interaction_at: at(2),
  });
}

/** A task that waits on 500 others, with a log entry for each; `extra` more entries at the end (upstream's rounds). */
function hubLine(extra: number): string {
  const at = (i: number) => new Date(Date.UTC(2026, 1, 1, 0, 0, i)).toISOString().replace('Z', '+00:00');
  return JSON.stringify({
    kind: 'task',
    id: 'hub',
    title: 'Release',
    status: 'open',
    after: Array.from({ length: 500 }, (_, i) => `t${i}`),
    tags: ['release'],
    created_at: at(0),
    log: Array.from({ length: 500 + extra }, (_, i) => ({ timestamp: at(i), actor: 'coordinator', message: `round ${i}` })),
  });
}

function cliLog(dir: string, id: string): number {
  const start = process.hrtime.bigint();
  execFileSync('node', [WG, '--dir', dir, 'log', id, 'from the bench'], {
    stdio: 'ignore',
    env: { ...process.env, WG_HOME: join(dir, '..', '.home') },
  });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

for (const size of SIZES) {
  const root = mkdtempSync(join(tmpdir(), 'wg-bench-sync-'));
  const text = `${[...Array.from({ length: size }, (_, i) => upstreamLine(i)), hubLine(0)].join('\n')}\n`;
  const upstreamDir = join(root, 'up', '.wg');
  const plainDir = join(root, 'plain', '.wg');
  mkdirSync(upstreamDir, { recursive: true });
  mkdirSync(plainDir, { recursive: true });
  writeFileSync(join(upstreamDir, 'graph.jsonl'), text);
  writeFileSync(join(plainDir, 'graph.jsonl'), text);
  const paths = projectPaths(upstreamDir);
  let opened: Awaited<ReturnType<typeof openProjectStore>> | undefined;
  const open = await timeMs(async () => {
    opened = await openProjectStore(paths);
  });
  if (!opened) throw new Error('not opened');
  const { store } = opened;
  const sync = await GraphSync.open(store, paths.dir);
  const first = await timeMs(() => sync.syncNow(10_000));
  const look: number[] = [];
  const out: number[] = [];
  const into: number[] = [];
  const intoHub: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    look.push(await timeMs(() => sync.pending()));
    await store.tasks.log(`t${s}`, `here ${s}`, 'bench');
    out.push(await timeMs(() => sync.syncNow(10_000)));
    // Upstream's change: one task's line rewritten (as upstream writes the whole file).
    const lines = readFileSync(join(upstreamDir, 'graph.jsonl'), 'utf8').split('\n');
    const k = size - 1 - s;
    lines[k] = (lines[k] as string).replace(`"title":"Task ${k}"`, `"title":"Task ${k} (upstream ${s})"`);
    writeGraphFile(upstreamDir, lines.join('\n'));
    into.push(await timeMs(() => sync.syncNow(10_000)));
    // Upstream's round on the hub: one more log entry on a line of 500 dependencies and 500 entries.
    const withHub = readFileSync(join(upstreamDir, 'graph.jsonl'), 'utf8').split('\n');
    withHub[size] = hubLine(s + 1);
    writeGraphFile(upstreamDir, withHub.join('\n'));
    intoHub.push(await timeMs(() => sync.syncNow(10_000)));
  }
  await store.close();
  // The plain project: the same graph imported, then graph.jsonl removed (no sync there).
  execFileSync('node', [WG, '--dir', plainDir, 'list'], { stdio: 'ignore', env: { ...process.env, WG_HOME: join(root, '.home') } });
  rmSync(join(plainDir, 'graph.jsonl'));
  const cliUp: number[] = [];
  const cliPlain: number[] = [];
  for (let s = 0; s < CLI_SAMPLES; s++) {
    cliUp.push(cliLog(upstreamDir, `t${s}`));
    cliPlain.push(cliLog(plainDir, `t${s}`));
  }
  const kb = Math.round(Buffer.byteLength(text) / 1024);
  console.log(
    `${size} tasks (graph.jsonl ${kb} KB): first open (the import) ${fmt(open)}; first sync after it ${fmt(first)}; nothing-changed look ${fmt(median(look))}; ` +
      `a change here written out ${fmt(median(out))}; upstream's change taken in ${fmt(median(into))}, on the hub ${fmt(median(intoHub))}; ` +
      `wg log: upstream folder ${fmt(median(cliUp))} vs no graph.jsonl ${fmt(median(cliPlain))} (ratio ${(median(cliUp) / median(cliPlain)).toFixed(2)})`,
  );
  rmSync(root, { recursive: true, force: true });
}
