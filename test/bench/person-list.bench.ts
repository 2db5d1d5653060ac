/**
 * `npm run bench:people`: a person's `wg list` sent over HTTPS to a coordinator (WG_SERVER, WG_TOKEN, WG_CA_CERT)
 * against a local `wg list` on the same project, as whole processes, side by side in one run.
 *
 * What a person feels is the wall time from typing the command to its last line, so that is what is measured
 * (and each process's own CPU, taken at its exit by a `--require` hook). The project is a connected 200-task
 * DAG (each task depends on up to three of the 50 before it, the first 30% done); its coordinator runs here with
 * its API on TLS (a self-signed certificate made with openssl) and paused, so nothing else competes. The rounds
 * interleave the two commands so load drifts hit both alike. Both print the same lines (checked first). Without
 * the machine's NODE_EXTRA_CA_CERTS (test/helpers/machine-certificates.ts), which Node 20 reads at every start.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { leaveOutMachineCertificates } from '../helpers/machine-certificates';
import { seededRandom } from '../helpers/seeded-random';
import { median } from './percentiles';

const certificates = leaveOutMachineCertificates();
const ROUNDS = Number(process.env.ROUNDS ?? 10);
const SIZE = Number(process.env.SIZE ?? 200);
const WG = resolve(import.meta.dirname, '../../bin/wg.js');

const work = mkdtempSync(join(tmpdir(), 'wg-people-bench-'));
const project = join(work, 'project', '.workgraph');
const elsewhere = join(work, 'elsewhere');
mkdirSync(elsewhere);
const hook = join(work, 'usage-hook.cjs');
const usageFile = join(work, 'usage.jsonl');
writeFileSync(
  hook,
  `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').appendFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 }) + '\\n'); });\n`,
);

async function populate(): Promise<void> {
  const store = await Store.open(projectPaths(project).db);
  const random = seededRandom(7);
  const ids: string[] = [];
  await store.core.write(async () => {
    for (let i = 0; i < SIZE; i++) {
      const window = ids.slice(Math.max(0, i - 50));
      const after = window.length
        ? [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => window[Math.floor(random() * window.length)] as string))]
        : [];
      ids.push((await store.tasks.add({ title: `Task ${i}`, id: `t${i}`, after: i < 10 ? [] : after }, 'bench')).id);
    }
    for (let i = 0; i < SIZE * 0.3; i++) await store.tasks.done(`t${i}`, {}, 'bench');
  });
  await store.close();
}

const home = { WG_HOME: join(work, 'home'), WG_AGENT_ID: '' };
const wgHere = (args: string[]) =>
  execFileSync(process.execPath, [WG, ...args], { encoding: 'utf8', env: { ...process.env, ...home, WG_DIR: project } });

ensureProjectDirs(projectPaths(project));
const cert = join(work, 'cert.pem');
const key = join(work, 'key.pem');
execFileSync(
  'openssl',
  ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost'].concat([
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]),
  { stdio: 'ignore' },
);
const started = JSON.parse(wgHere(['service', 'start', '--listen', '127.0.0.1:0', '--tls-cert', cert, '--tls-key', key, '--json'])) as {
  url: string;
};
const server = new URL(started.url).origin;
// Paused before the tasks are there: the coordinator starts no run, so both commands read the same graph.
wgHere(['service', 'pause']);
await populate();

interface Sample {
  wallMs: number;
  cpuMs: number;
  stdout: string;
}

function run(args: string[], env: Record<string, string>, cwd: string): Sample {
  writeFileSync(usageFile, '');
  const begin = performance.now();
  const stdout = execFileSync(process.execPath, ['--require', hook, WG, ...args], {
    encoding: 'utf8',
    cwd,
    env: { ...process.env, ...env },
  });
  const wallMs = performance.now() - begin;
  const line = readFileSync(usageFile, 'utf8').trim().split('\n')[0] ?? '{}';
  return { wallMs, cpuMs: (JSON.parse(line) as { cpuMs: number }).cpuMs, stdout };
}

try {
  const token = wgHere(['token', 'create', 'bench-person', '--person']).split('\n')[1] ?? '';
  const local = () => run(['list'], { ...home, WG_DIR: project }, work);
  const person = () => run(['list'], { ...home, WG_DIR: '', WG_SERVER: server, WG_TOKEN: token, WG_CA_CERT: cert }, elsewhere);
  const first = [local(), person()];
  if (first[0]?.stdout !== first[1]?.stdout) {
    throw new Error(`the two \`wg list\` printed different lines:\n${first[0]?.stdout}\n---\n${first[1]?.stdout}`);
  }
  const samples = { local: [] as Sample[], person: [] as Sample[] };
  for (let round = 0; round < ROUNDS; round++) {
    samples.local.push(local());
    samples.person.push(person());
  }
  const row = (name: string, s: Sample[], base: Sample[]) => {
    const wall = median(s.map((x) => x.wallMs));
    const cpu = median(s.map((x) => x.cpuMs));
    const ratio = wall / median(base.map((x) => x.wallMs));
    return `${name.padEnd(34)} ${wall.toFixed(1).padStart(8)} ms ${cpu.toFixed(1).padStart(8)} ms ${ratio.toFixed(2).padStart(7)}×`;
  };
  console.log(
    `wg list, ${SIZE}-task project (${first[0]?.stdout.trim().split('\n').length} lines), median of ${ROUNDS} rounds, Node ${process.version}`,
  );
  if (certificates) console.log(certificates);
  console.log(`${'command'.padEnd(34)} ${'wall'.padStart(11)} ${'own CPU'.padStart(11)} ${'ratio'.padStart(8)}`);
  console.log(row('local (WG_DIR)', samples.local, samples.local));
  console.log(row('a person over HTTPS (WG_SERVER)', samples.person, samples.local));
} finally {
  try {
    wgHere(['service', 'stop']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
