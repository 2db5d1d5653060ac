/**
 * `npm run bench:agentd` (builds the CLI first): a real coordinator (`wg service start`, its own
 * process) with 200 agent-daemon connections from clients in this process, and 5,000 no-op jobs.
 *
 * - Latency: from a task becoming ready to its job reaching a daemon. A task is ready the moment
 *   `task:add` commits; the clock starts when the add request is SENT (so the figure also holds the
 *   HTTP request and the add itself: an upper bound), and stops when a client receives ticket.assigned.
 *   Adds are kept 16 in flight, so capacity (200 daemons x 1 job) is never what a task waits for.
 * - Coordinator CPU per job: utime+stime of the coordinator process (/proc) over the 5,000 jobs
 *   (add, dispatch, claim, result and settle), divided by 5,000.
 * - Memory per connection: the coordinator's RSS with 200 registered connections, less its RSS
 *   before they connected, divided by 200 (after a settling pause each time).
 *
 * Before/after in one run: COMPARE_WG=/path/to/other/bin/wg.js runs ROUNDS (default 3) rounds,
 * each the other build then this one, and prints the median of each figure over the rounds side
 * by side (the machine is shared and noisy: only figures measured together compare).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import WebSocket from 'ws';
import { AGENT_PROTOCOL_VERSION, AGENT_WS_PATH, type CoordinatorMessage } from '../../src/shared/agent-protocol';
import { clockTicks, cpuTicks } from './proc-cpu';
import { percentile } from './percentiles';

const THIS_WG = resolve(import.meta.dirname, '../../bin/wg.js');
const COMPARE_WG = process.env.COMPARE_WG;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 200);
const JOBS = Number(process.env.JOBS ?? 5000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 1);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rssKb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);

function post(port: number, token: string, path: string, body: unknown): Promise<void> {
  const payload = JSON.stringify(body);
  return new Promise((resolveDone, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          host: `127.0.0.1:${port}`,
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolveDone() : reject(new Error(`HTTP ${res.statusCode}`))));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

interface Figures {
  p50: number;
  p99: number;
  max: number;
  cpuPerJobMs: number;
  kbPerConnection: number;
  wallS: number;
}

/** One whole run against the coordinator of the `wg` at `wgPath`, in a fresh project. */
async function runBench(wgPath: string): Promise<Figures> {
  const root = mkdtempSync(join(tmpdir(), 'wg-bench-agentd-'));
  const env = { ...process.env, WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '' };
  const wg = (...args: string[]) => execFileSync(process.execPath, [wgPath, ...args], { cwd: root, env, encoding: 'utf8' });
  try {
    return await measure(wg);
  } finally {
    try {
      wg('service', 'stop');
    } catch {
      // not running
    }
    rmSync(root, { recursive: true, force: true });
  }
}

async function measure(wg: (...args: string[]) => string): Promise<Figures> {
  wg('init');
  const agentToken = (JSON.parse(wg('token', 'create', 'bench', '--json')) as { token: string }).token;
  const status = JSON.parse(wg('service', 'start', '--json')) as { pid: number; url: string };
  const [base, apiToken] = status.url.split('/#token=') as [string, string];
  const port = Number(new URL(base).port);
  const pid = status.pid;
  await sleep(2000);
  const rssBefore = rssKb(pid);

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let completed = 0;
  let onComplete: () => void = () => undefined;
  const clients: WebSocket[] = [];
  for (let i = 0; i < CONNECTIONS; i++) {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${AGENT_WS_PATH}`, { perMessageDeflate: false });
    await new Promise<void>((ok, fail) => {
      ws.once('open', () => ok());
      ws.once('error', fail);
    });
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString('utf8')) as CoordinatorMessage;
      if (message.type === 'auth.ok') {
        ws.send(
          JSON.stringify({
            type: 'agent.register',
            host: `bench-${i}`,
            instance: `wgi_${String(i).padStart(32, '0')}`,
            wg: 'wg',
            version: 'bench',
            roles: ['dev'],
            repos: ['acme/app'],
            clis: [],
            capacity: 1,
            jobs: [],
          }),
        );
      } else if (message.type === 'ticket.assigned') {
        const started = sentAt.get(message.task.id);
        if (started !== undefined) latencies.push(performance.now() - started);
        ws.send(JSON.stringify({ type: 'ticket.claim', lease_id: message.lease_id }));
        ws.send(
          JSON.stringify({
            type: 'ticket.result',
            lease_id: message.lease_id,
            exit_code: 0,
            output: '',
            cost_usd: null,
            tokens_in: null,
            tokens_out: null,
            artifacts: [],
            diff: null,
            branch: null,
            duration_ms: 0,
            work: { agent: false, commits: [], commit_count: 0, changed: false, wrote_files: false, shared_with: [], wg_calls: {} },
          }),
        );
      } else if (message.type === 'ticket.ack') {
        completed++;
        onComplete();
      }
    });
    ws.send(JSON.stringify({ type: 'auth', token: agentToken, protocol: AGENT_PROTOCOL_VERSION, agent_version: 'bench' }));
    clients.push(ws);
  }
  for (;;) {
    const remote = JSON.parse(wg('agentd', 'status', '--json')) as { daemons: unknown[] };
    if (remote.daemons.length === CONNECTIONS) break;
    await sleep(200);
  }
  await sleep(3000);
  const rssAfter = rssKb(pid);

  const cpuStart = cpuTicks(pid);
  const wallStart = performance.now();
  let next = 0;
  const addOne = async (): Promise<void> => {
    while (next < JOBS) {
      const id = `job-${next++}`;
      sentAt.set(id, performance.now());
      await post(port, apiToken, '/api/op/task:add', { title: id, id, executor: 'remote', repo: 'acme/app', role: 'dev' });
    }
  };
  const allDone = new Promise<void>((resolveDone) => {
    onComplete = () => {
      if (completed >= JOBS) resolveDone();
    };
  });
  await Promise.all(Array.from({ length: IN_FLIGHT }, addOne));
  await allDone;
  const wallMs = performance.now() - wallStart;
  const cpuMs = ((cpuTicks(pid) - cpuStart) / clockTicks()) * 1000;

  for (const ws of clients) ws.terminate();
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    cpuPerJobMs: cpuMs / JOBS,
    kbPerConnection: (rssAfter - rssBefore) / CONNECTIONS,
    wallS: wallMs / 1000,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function report(label: string, runs: Figures[]): string {
  const m = (key: keyof Figures) => median(runs.map((r) => r[key]));
  return (
    `${label.padEnd(8)} p50 ${m('p50').toFixed(2).padStart(7)} ms  p99 ${m('p99').toFixed(2).padStart(7)} ms  max ${m('max').toFixed(1).padStart(7)} ms  ` +
    `CPU ${m('cpuPerJobMs').toFixed(3)} ms a job  ${m('kbPerConnection').toFixed(1)} KB a connection  (${m('wallS').toFixed(1)} s wall)`
  );
}

async function main(): Promise<void> {
  console.log(
    `agent daemons: ${CONNECTIONS} connections, ${JOBS} no-op jobs, ${IN_FLIGHT} add(s) in flight; latency = add request sent -> ticket.assigned`,
  );
  if (!COMPARE_WG) {
    console.log(report('this', [await runBench(THIS_WG)]));
    return;
  }
  const before: Figures[] = [];
  const after: Figures[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    before.push(await runBench(COMPARE_WG));
    after.push(await runBench(THIS_WG));
    console.log(`round ${round}/${ROUNDS}:\n  ${report('other', before.slice(-1))}\n  ${report('this', after.slice(-1))}`);
  }
  console.log(
    `medians of ${ROUNDS} rounds, measured alternately in this run:\n  ${report('other', before)}  [${COMPARE_WG}]\n  ${report('this', after)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
