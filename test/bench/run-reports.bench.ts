/**
 * `npm run bench:run-reports`: what a run's reports cost on a team's graph, with the database one network hop away.
 * Every agent calls `wg log` as it goes and `wg done` at its end, and many add a follow-up (`wg add --after` its
 * task); through its coordinator's API each is one operation (task:log, task:done, task:add) dispatched with the run's
 * credential. Here they are dispatched in this process, as the API
 * dispatches them, on PostgreSQL (a server started here, on a unix socket), reached two ways: direct, and through the
 * delay proxy (test/helpers/delay-proxy.ts, in a process of its own) that holds every chunk RTT_MS / 2 each way and
 * counts the round trips clients wait for. Each sample is a fresh task claimed by a run (not timed), then the report.
 *
 * BASE_TREE=/path/to/another/checkout measures that checkout's store and operations too, interleaved sample by sample
 * with this one's, so the two columns share the machine's load. Medians and p99 of ROUNDS samples (30).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type DelayProxyProcess, startDelayProxyProcess } from '../helpers/delay-proxy-process';
import { startPostgresServer } from '../helpers/postgres-server';
import { median, percentile, timeMs } from './percentiles';

const RTT_MS = Number(process.env.RTT_MS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 30);
const HERE = resolve(import.meta.dirname, '../..');
const trees = [HERE, ...(process.env.BASE_TREE?.trim() ? [resolve(process.env.BASE_TREE.trim())] : [])];
const OPS = ['task:done', 'task:log', 'task:add'] as const;

type Op = (typeof OPS)[number];
/** One checkout's project on one way to the server: claims a fresh task for a run, and answers its report of `op`. */
type Reporter = (op: Op, index: number) => Promise<() => Promise<unknown>>;

/** The run's side of a checkout, loaded from its own sources (an older checkout's store and operations). */
async function reporterOf(tree: string, url: string, folder: string): Promise<{ report: Reporter; close: () => Promise<void> }> {
  const { Store } = await import(join(tree, 'src/core/store/store.ts'));
  const { dispatch } = await import(join(tree, 'src/core/ops/dispatch.ts'));
  const { ConfigView } = await import(join(tree, 'src/core/config/config-view.ts'));
  const { ensureProjectDirs, projectPaths } = await import(join(tree, 'src/core/project.ts'));
  const { turnParts } = await import(join(tree, 'test/runs/helpers/turn-parts.ts'));
  const store = await Store.open(url);
  const paths = projectPaths(join(folder, '.workgraph'));
  ensureProjectDirs(paths);
  // A team's project names its store, as the coordinator's configuration then says.
  writeFileSync(paths.config, `[store]\nurl = ${JSON.stringify(url)}\n`);
  const config = await ConfigView.open(paths, {}, () => undefined);
  const { claim } = await turnParts({ store, dir: folder });
  return {
    async report(op, index) {
      const id = `${op.replace(':', '-')}-${index}`;
      await store.tasks.add({ title: `Work ${index}`, id, exec: 'sleep 100' }, 'bench');
      const [run] = await claim([id]);
      if (!run) throw new Error(`${id} was not claimed`);
      const ctx = { store, paths, actor: run.agent.id, agent: { id: run.agent.id, runId: run.runId }, config: () => config.current() };
      const input =
        op === 'task:done' ? { id } : op === 'task:log' ? { id, message: 'progress' } : { title: `Check ${id}`, after: [id], tags: ['qa'] };
      return () => dispatch(op, input, ctx);
    },
    close: () => store.close(),
  };
}

interface Column {
  name: string;
  proxied: boolean;
  report: Reporter;
  close: () => Promise<void>;
  times: Map<Op, number[]>;
  trips: Map<Op, number[]>;
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const server = startPostgresServer([]);
const folder = mkdtempSync(join(tmpdir(), 'wg-run-reports-'));
let proxy: DelayProxyProcess | null = null;
const columns: Column[] = [];
try {
  const loadAtStart = load();
  proxy = await startDelayProxyProcess({ target: { path: join(server.socketDir, '.s.PGSQL.5432') }, delayMs: RTT_MS / 2 });
  for (const [t, tree] of trees.entries()) {
    for (const proxied of [false, true]) {
      const schema = `reports_${t}_${proxied ? 'proxied' : 'direct'}`;
      const url = proxied ? `postgresql://postgres@127.0.0.1:${proxy.port}/postgres?schema=${schema}` : server.url({ schema });
      const dir = join(folder, schema);
      const { report, close } = await reporterOf(tree, url, dir);
      const name = `${t === 0 ? 'this' : 'base'}, ${proxied ? `RTT ${RTT_MS} ms` : 'direct'}`;
      columns.push({ name, proxied, report, close, times: new Map(), trips: new Map() });
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const op of OPS) {
      for (const column of columns) {
        const report = await column.report(op, round);
        const before = column.proxied ? await proxy.roundTrips() : 0;
        const ms = await timeMs(report);
        const trips = column.proxied ? (await proxy.roundTrips()) - before : Number.NaN;
        column.times.set(op, [...(column.times.get(op) ?? []), ms]);
        column.trips.set(op, [...(column.trips.get(op) ?? []), trips]);
      }
    }
  }
  console.log(`this: ${HERE}${trees[1] ? `; base: ${trees[1]}` : ''}`);
  console.log(
    `${ROUNDS} reports of each kind, each by a run on a fresh task; load average ${loadAtStart} at the start, ${load()} at the end`,
  );
  console.log(`| report | ${columns.map((c) => c.name).join(' | ')} |`);
  console.log(`|---|${columns.map(() => '---').join('|')}|`);
  for (const op of OPS) {
    const cell = (c: Column) => {
      const times = c.times.get(op) ?? [];
      const trips = c.proxied ? `, ${median(c.trips.get(op) ?? [])} round trips` : '';
      return `p50 ${median(times).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms${trips}`;
    };
    console.log(`| ${op} | ${columns.map(cell).join(' | ')} |`);
  }
} finally {
  for (const column of columns) await column.close().catch(() => undefined);
  await proxy?.close();
  server.stop();
  rmSync(folder, { recursive: true, force: true });
}
