/**
 * `npm run bench:team-show`: what a person's `wg show` costs on a team's graph (PostgreSQL, a server on this machine's
 * unix socket) against the same on SQLite, as whole processes, interleaved round by round so the machine's load hits
 * them alike. Three rows: SQLite (graph.db, no coordinator); PostgreSQL with the project's coordinator running here,
 * which the read goes through (src/cli/own-coordinator-op.ts: one request on its socket); PostgreSQL opened by the
 * process itself (WG_STORE_URL set to the same store: a connection, the schema's check, the read), which is what
 * every `wg show` did before and still does where no coordinator runs.
 *
 * Goal (issue 73): the team's `wg show` through its coordinator ≤ 1.5× SQLite's. Wall time per process, medians.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { startPostgresServer } from '../helpers/postgres-server';
import { leaveOutMachineCertificates } from '../helpers/machine-certificates';
import { median } from './percentiles';

const certificates = leaveOutMachineCertificates();
const ROUNDS = Number(process.env.ROUNDS ?? 20);
const SIZE = Number(process.env.SIZE ?? 200);
const WG = resolve(import.meta.dirname, '../../bin/wg.js');

const work = mkdtempSync(join(tmpdir(), 'wg-team-show-bench-'));
const server = startPostgresServer();
const env = { ...process.env, WG_HOME: join(work, 'home'), WG_AGENT_ID: '', WG_DIR: '' };

function wg(folder: string, args: string[], extra: Record<string, string> = {}): string {
  return execFileSync(process.execPath, [WG, ...args], { cwd: folder, env: { ...env, ...extra }, encoding: 'utf8' });
}

/** A project of SIZE tasks in a chain, made by `wg init` (with `initArgs`) and filled through the store. */
async function project(name: string, initArgs: string[], storeAt: (folder: string) => string): Promise<string> {
  const folder = join(work, name);
  execFileSync('mkdir', ['-p', folder]);
  wg(folder, ['init', ...initArgs]);
  const store = await Store.open(storeAt(folder), undefined, { existing: true });
  try {
    await store.core.write(async () => {
      for (let i = 0; i < SIZE; i++)
        await store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i === 0 ? [] : [`t${i - 1}`] }, 'bench');
    });
    for (let i = 0; i < 20; i++) await store.tasks.log('t5', `line ${i}`, 'bench');
  } finally {
    await store.close();
  }
  return folder;
}

function timed(folder: string, extra: Record<string, string> = {}): number {
  const started = process.hrtime.bigint();
  wg(folder, ['show', 't5'], extra);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const url = server.url({ schema: 'show_bench' });
const sqlite = await project('sqlite', [], (folder) => projectPaths(join(folder, '.workgraph')).db);
const team = await project('team', ['--store', url], () => url);
// Nothing is started: the coordinator only answers.
writeFileSync(
  join(team, '.workgraph/config.toml'),
  `${readFileSync(join(team, '.workgraph/config.toml'), 'utf8')}\n[coordinator]\nexecutor = "manual"\n`,
);
wg(team, ['service', 'start']);
try {
  const rows = {
    sqlite: [] as number[],
    'postgresql, through its coordinator': [] as number[],
    'postgresql, opened by wg': [] as number[],
  };
  const load: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rows.sqlite.push(timed(sqlite));
    rows['postgresql, through its coordinator'].push(timed(team));
    rows['postgresql, opened by wg'].push(timed(team, { WG_STORE_URL: url }));
    load.push(loadavg()[0] ?? 0);
  }
  const base = median(rows.sqlite);
  if (certificates) console.log(certificates);
  console.log(`wg show, ${ROUNDS} rounds, ${SIZE} tasks; load average (1 min) ${median(load).toFixed(2)} (median over the rounds)`);
  for (const [name, samples] of Object.entries(rows)) {
    const m = median(samples);
    console.log(`${name.padEnd(38)} median ${m.toFixed(0).padStart(5)} ms  ${(m / base).toFixed(2)}× SQLite`);
  }
} finally {
  wg(team, ['service', 'stop']);
  server.stop();
  rmSync(work, { recursive: true, force: true });
}
