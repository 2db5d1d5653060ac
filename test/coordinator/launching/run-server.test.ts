import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { setCgroupBaseForTests } from '../../../src/core/runs/killing/run-cgroup';
import { canCarry, ForkServer, forkRun, forkServerHere } from '../../../src/core/coordinator/launching/fork-server';
import { killRuns } from '../../../src/core/runs/killing/kill-runs';
import { readExitStatus, readRecordedPid, runFiles, type RunFiles } from '../../../src/core/runs/files/run-files';
import { processAlive } from '../../../src/core/runs/killing/process-group';
import { waitFor } from '../../service/helpers/daemon-project';

/**
 * The run server's own behaviour (fork-server.sh): what spawner.test.ts checks on both paths, it
 * checks here where only the server can go wrong. Every run here is started without a cgroup.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-run-server-'));
const SCRIPT = join(import.meta.dirname, '../../../src/core/coordinator/launching/fork-server.sh');
const PATH = process.env.PATH ?? '';
const servers: ForkServer[] = [];
function server(script = SCRIPT): ForkServer {
  const made = forkServerHere(process.env, script, (message) => {
    throw new Error(message);
  });
  if (!made) throw new Error('no bash 4 here');
  servers.push(made);
  return made;
}
setCgroupBaseForTests(null);
afterAll(() => {
  for (const made of servers) made.close();
  setCgroupBaseForTests(undefined);
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
function run(): RunFiles {
  const files = runFiles(join(root, `run-${++n}`));
  mkdirSync(files.dir, { recursive: true });
  return files;
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((child) => {
    try {
      const stat = readFileSync(`/proc/${child}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    } catch {
      return false;
    }
  });
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function groupOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** The bash this test process started as a run server (found by its name in its arguments). */
function serverPids(): number[] {
  return childrenOf(process.pid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('wg-run-server');
    } catch {
      return false;
    }
  });
}

describe.skipIf(process.platform === 'win32')('the run server', () => {
  it('hands each run to a worker, forked when first needed, that waits outside the run: the command leads a process group of its own, the worker serves the next run with no fork', async () => {
    const files = run();
    const made = server();
    const before = new Set(serverPids());
    const spawned = await forkRun(made, { files, runId: 'rs1', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    // One plain command is exec'd by the run's process: the run's pid is the command's.
    await waitFor('the command to be exec\'d', () => readlinkSync(`/proc/${spawned.pid}/exe`).endsWith('/sleep'));
    expect(readRecordedPid(files)).toBe(spawned.pid);
    const worker = parentOf(spawned.pid);
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(parentOf(worker)).toBe(serverPid);
    expect(groupOf(spawned.pid)).toBe(spawned.pid);
    expect(groupOf(worker)).not.toBe(spawned.pid);
    process.kill(-spawned.pid, 'SIGKILL');
    expect((await spawned.ended).status).toBe(128 + 9);
    // The worker outlives the run it waited for, and wrote how it ended.
    expect(readExitStatus(files)).toBe(137);
    expect(processAlive(worker)).toBe(true);
    // The next run goes to the same worker: the server forks nothing more.
    const next = await forkRun(made, { files: run(), runId: 'rs1b', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    expect(parentOf(next.pid)).toBe(worker);
    expect(childrenOf(serverPid as number)).toEqual([worker]);
    process.kill(-next.pid, 'SIGKILL');
    expect((await next.ended).status).toBe(137);
  });

  it('runs a builtin that only sets a status in the worker itself, with no fork; a program forks and is killed as a whole', async () => {
    const made = server();
    const before = new Set(serverPids());
    const files = run();
    const builtin = await forkRun(made, { files, runId: 'rs10', command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await builtin.ended).toEqual({ status: 1, signal: null });
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(readExitStatus(files)).toBe(1);
    // The pid it reported is the worker's own: the server's child, which forked nothing for it.
    expect(parentOf(builtin.pid)).toBe(serverPid);
    expect(childrenOf(builtin.pid)).toEqual([]);
    // A line that forks: its command is the worker's child, and a kill of its group ends all of it.
    const line = await forkRun(made, { files: run(), runId: 'rs11', command: 'bash', args: ['-c', 'sleep 30 & sleep 30; true'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('both sleeps', () => childrenOf(line.pid).length === 2);
    expect(parentOf(line.pid)).toBe(builtin.pid);
    const sleeps = childrenOf(line.pid);
    process.kill(-line.pid, 'SIGKILL');
    expect((await line.ended).status).toBe(137);
    await waitFor('the sleeps to be gone', () => sleeps.every((pid) => !processAlive(pid)));
  });

  it('runs one plain command in the run\'s own process, and a longer line in a bash between', async () => {
    const made = server();
    const plain = await forkRun(made, { files: run(), runId: 'rs5', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    const line = await forkRun(made, { files: run(), runId: 'rs6', command: 'bash', args: ['-c', 'sleep 30; true'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('both to start', () => readlinkSync(`/proc/${plain.pid}/exe`).endsWith('/sleep') && childrenOf(line.pid).length > 0);
    const exe = (pid: number) => readlinkSync(`/proc/${pid}/exe`);
    expect(childrenOf(plain.pid)).toEqual([]);
    expect(exe(line.pid)).toMatch(/\/bash$/);
    expect(childrenOf(line.pid).map(exe)).toEqual([expect.stringMatching(/\/sleep$/)]);
    for (const spawned of [plain, line]) process.kill(-spawned.pid, 'SIGKILL');
    expect((await plain.ended).status).toBe(137);
    expect((await line.ended).status).toBe(137);
  });

  it('leaves the worker alone under every kill of its run: the run ends as a whole and the worker reports it (143 after SIGTERM, 137 after SIGKILL)', async () => {
    const made = server();
    const marker = `rs-kill-${process.pid}`;
    for (const force of [false, true]) {
      const files = run();
      // setsid: a process that left the run's group and session, found by its marker.
      const spawned = await forkRun(made, {
        files, runId: marker, command: 'bash', args: ['-c', 'setsid sleep 30 & sleep 30; true'], env: { PATH, WG_RUN_ID: `${marker}-${force}` }, cwd: root, stdinFile: null,
      });
      await waitFor('both sleeps', () => childrenOf(spawned.pid).length === 2);
      const worker = parentOf(spawned.pid);
      expect(await killRuns([{ pid: spawned.pid, runId: `${marker}-${force}`, cgroup: null }], { force, graceMs: 2000 })).toBe(true);
      expect((await spawned.ended).status).toBe(force ? 137 : 143);
      expect(readExitStatus(files)).toBe(force ? 137 : 143);
      // The worker was not touched: it waits for its next run.
      expect(processAlive(worker)).toBe(true);
    }
  });

  it('reports the end of every run, also of runs killed as a whole while it waits for the next request', async () => {
    const made = server();
    const all = Array.from({ length: 12 }, () => run());
    const spawned = await Promise.all(all.map((files, i) => forkRun(made, {
      files, runId: `rk${i}`, command: 'bash', args: ['-c', i % 2 ? `exit ${i}` : 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null,
    })));
    for (const [i, s] of spawned.entries()) if (i % 2 === 0) process.kill(-s.pid, 'SIGKILL');
    const ends = await Promise.all(spawned.map((s) => s.ended));
    expect(ends.map((end) => end.status)).toEqual(all.map((_, i) => (i % 2 ? i : 137)));
    // Each worker wrote how its run ended, killed or not.
    expect(all.map((files) => readExitStatus(files))).toEqual(all.map((_, i) => (i % 2 ? i : 137)));
  });

  it('notices a run killed from outside at once, by its worker\'s report: no timer runs meanwhile', async () => {
    const files = run();
    const made = server();
    const sleep = globalThis.setTimeout;
    // Nothing may poll: with the timers stopped from before the start, only an event can end the wait (else the test times out).
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    try {
      const spawned = await forkRun(made, { files, runId: 'rs4', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
      // The run under way and everything else idle (a shell waiting in `read` runs no CHLD trap until it returns).
      while (!readlinkSync(`/proc/${spawned.pid}/exe`).endsWith('/sleep')) await new Promise((settle) => sleep(settle, 20));
      await new Promise((settle) => sleep(settle, 300));
      process.kill(-spawned.pid, 'SIGKILL');
      expect(await spawned.ended).toEqual({ status: 128 + 9, signal: null });
    } finally {
      vi.useRealTimers();
    }
    expect(readExitStatus(files)).toBe(137);
  });

  it('gives values with quotes, newlines and $ exactly, and a line sees them as the run\'s variables', async () => {
    const files = run();
    const odd = "it's \"quoted\"\nover $HOME `lines`\\ $(echo no) '";
    await (await forkRun(server(), { files, runId: 'rs2', command: 'bash', args: ['-c', 'printf %s "$ODD"'], env: { PATH, ODD: odd }, cwd: root, stdinFile: null })).ended;
    expect(readFileSync(files.stdout, 'utf8')).toBe(odd);
  });

  it('makes a value that runs repeat the shell\'s and its workers\' own: later requests no longer carry it, and each run still gets exactly its environment', async () => {
    const made = server();
    const before = new Set(serverPids());
    const base = { PATH, KEPT_BASE: 'base' };
    // Kept exactly, quotes and newlines included.
    const big = "it's\n$HOME \"x\"".padEnd(3_000, 'v');
    const seen = async (own: Record<string, string>): Promise<string> => {
      const files = run();
      const line = 'printf "%s %s %s|%s" "${KEPT_BASE-none}" "$OWN" "${BIG+set}" "${BIG-}"';
      const env = { ...base, ...own };
      await (await forkRun(made, { files, runId: `rv${n}`, command: 'bash', args: ['-c', line], env, layers: { base, own }, cwd: root, stdinFile: null })).ended;
      return readFileSync(files.stdout, 'utf8');
    };
    // The worker that serves the runs below is forked here, before anything is kept: it is handed the keep.
    expect(await seen({ OWN: '0' })).toBe('base 0 |');
    const [shell] = serverPids().filter((pid) => !before.has(pid));
    // Bytes the shell read: its requests, and little else.
    const read = () => Number(/rchar: (\d+)/.exec(readFileSync(`/proc/${shell}/io`, 'utf8'))?.[1]);
    const start = read();
    for (let i = 1; i <= 8; i++) expect(await seen({ BIG: big, KEPT_BASE: 'own', OWN: String(i) })).toBe(`own ${i} set|${big}`);
    // Carried by runs 1 and 2 and kept once: three times, not eight.
    expect(read() - start).toBeLessThan(5 * big.length);
    // A run without them: the base's value, or none; another value: that one.
    expect(await seen({ OWN: '9' })).toBe('base 9 |');
    expect(await seen({ BIG: 'x', OWN: '10' })).toBe('base 10 set|x');
    expect(await seen({ BIG: big, KEPT_BASE: 'own', OWN: '11' })).toBe(`own 11 set|${big}`);
  });

  it('killed mid-run: the run goes on, records its own end and its worker still reports it (on the pipe this process still reads)', async () => {
    const made = server();
    const before = new Set(serverPids());
    const files = run();
    const spawned = await forkRun(made, { files, runId: 'rs3', command: 'bash', args: ['-c', 'sleep 1; exit 3'], env: { PATH }, cwd: root, stdinFile: null });
    const [pid] = serverPids().filter((p) => !before.has(p));
    process.kill(pid as number, 'SIGKILL');
    expect(await spawned.ended).toEqual({ status: 3, signal: null });
    await waitFor('the run to end on its own', () => readExitStatus(files) !== null, 10_000);
    expect(readExitStatus(files)).toBe(3);
  });

  it('counts a request in bytes whatever the locale: values with multi-byte characters arrive whole', async () => {
    const made = server();
    // The first run's environment becomes the server's own: a UTF-8 locale, where bash counts characters.
    await (await forkRun(made, { files: run(), runId: 'rs7', command: 'true', args: [], env: { PATH, LANG: 'C.UTF-8' }, cwd: root, stdinFile: null })).ended;
    // The next one's request carries what differs: the value, with characters of two and three bytes.
    const files = run();
    const odd = 'naïve ✓ ünïcødé\nline two é';
    await (await forkRun(made, { files, runId: 'rs9', command: 'bash', args: ['-c', 'printf %s "$ODD"'], env: { PATH, LANG: 'C.UTF-8', ODD: odd }, cwd: root, stdinFile: null })).ended;
    expect(readFileSync(files.stdout, 'utf8')).toBe(odd);
  });

  it('gives each run of a worker its own folder, variables and umask: nothing of one run is left for the next', async () => {
    const made = server();
    const before = new Set(serverPids());
    const here = join(root, 'folder-a');
    mkdirSync(here);
    // The server's own environment is its first run's: the runs below differ from it.
    await (await forkRun(made, { files: run(), runId: 'rs8-0', command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null })).ended;
    const first = run();
    const a = await forkRun(made, {
      files: first, runId: 'rs8', command: 'bash', args: ['-c', 'echo "$PWD $ONLY_A $(umask)"; umask 022; export LATER=1'], env: { PATH, ONLY_A: 'a' }, cwd: here, stdinFile: null,
    });
    expect(await a.ended).toEqual({ status: 0, signal: null });
    const second = run();
    const b = await forkRun(made, {
      files: second, runId: 'rs8b', command: 'bash', args: ['-c', 'echo "$PWD ${ONLY_A-unset} ${LATER-unset}"'], env: { PATH }, cwd: root, stdinFile: null,
    });
    expect(await b.ended).toEqual({ status: 0, signal: null });
    // One worker served both (the first was idle again when the second came).
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(childrenOf(serverPid as number)).toHaveLength(1);
    expect(readFileSync(first.stdout, 'utf8')).toBe(`${here} a ${(process.umask() & 0o777).toString(8).padStart(4, '0')}\n`);
    expect(readFileSync(second.stdout, 'utf8')).toBe(`${root} unset unset\n`);
  });

  it('lets idle workers go after a while without runs, and forks a new one for the next run', async () => {
    const made = new ForkServer('bash', SCRIPT, (message) => {
      throw new Error(message);
    }, { idleMs: 200 });
    servers.push(made);
    const before = new Set(serverPids());
    const first = await forkRun(made, { files: run(), runId: 'rs14', command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null });
    await first.ended;
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(childrenOf(serverPid as number)).toEqual([first.pid]);
    await waitFor('the idle worker to exit', () => !processAlive(first.pid), 10_000);
    const second = await forkRun(made, { files: run(), runId: 'rs15', command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await second.ended).toEqual({ status: 1, signal: null });
    expect(second.pid).not.toBe(first.pid);
    expect(parentOf(second.pid)).toBe(serverPid);
  });

  it('leaves no worker behind once its client closes it: idle ones exit at once, busy ones when their run ends', async () => {
    const made = server();
    const before = new Set(serverPids());
    // Three workers at once, the busy one forked last (it would hold the others' pipes).
    const busyFiles = run();
    const [idleA, idleB, busy] = await Promise.all([
      ...[1, 2].map((i) => forkRun(made, { files: run(), runId: `rs16-${i}`, command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null })),
      forkRun(made, { files: busyFiles, runId: 'rs16-busy', command: 'bash', args: ['-c', 'sleep 4; exit 5'], env: { PATH }, cwd: root, stdinFile: null }),
    ]);
    await Promise.all([idleA, idleB].map((r) => r?.ended));
    if (!busy) throw new Error('no busy run');
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    const workers = childrenOf(serverPid as number);
    expect(workers).toHaveLength(3);
    const busyWorker = parentOf(busy.pid);
    made.close();
    // The idle ones go while the busy one's run goes on (no run or worker holds another's pipe open).
    await waitFor('the idle workers to exit', () => workers.every((pid) => pid === busyWorker || !processAlive(pid)), 3_000);
    expect(processAlive(busy.pid)).toBe(true);
    await waitFor('the busy worker to exit', () => !processAlive(busyWorker), 10_000);
    // It wrote its run's end first.
    expect(readExitStatus(busyFiles)).toBe(5);
  });

  it('gives up on a start the server does not answer in time, and ends that run should it start after all', async () => {
    const slow = join(root, 'slow.sh');
    writeFileSync(slow, readFileSync(SCRIPT, 'utf8').replace('__wg_job() {\n', '__wg_job() {\n  sleep 1\n'));
    expect(readFileSync(slow, 'utf8')).toContain('__wg_job() {\n  sleep 1\n');
    const made = new ForkServer('bash', slow, (message) => {
      throw new Error(message);
    }, { startTimeoutMs: 200, sweepMs: 5000 });
    servers.push(made);
    const files = run();
    await expect(forkRun(made, { files, runId: 'rs12', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null })).rejects.toThrow(/did not start/);
    // Its worker started the command a moment later: it is killed as a whole, its end written down.
    await waitFor('the late run to be ended', () => readExitStatus(files) === 137, 10_000);
  });

  it('hands a run whose worker was killed on its own (no kill of a run does that) to its files: "lost", at the next sweeps', async () => {
    const made = new ForkServer('bash', SCRIPT, (message) => {
      throw new Error(message);
    }, { startTimeoutMs: 30_000, sweepMs: 100 });
    servers.push(made);
    const files = run();
    const spawned = await forkRun(made, { files, runId: 'rs13', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('the command to be exec\'d', () => readlinkSync(`/proc/${spawned.pid}/exe`).endsWith('/sleep'));
    process.kill(parentOf(spawned.pid), 'SIGKILL');
    expect(await spawned.ended).toEqual({ status: null, signal: null, lost: true });
    // The run itself goes on (its files will tell how it ends).
    expect(processAlive(spawned.pid)).toBe(true);
    process.kill(-spawned.pid, 'SIGKILL');
    // The worker's number is free again: the server finds its pipe closed and forks a new one.
    const next = await forkRun(made, { files: run(), runId: 'rs13b', command: 'bash', args: ['-c', 'exit 6'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await next.ended).toEqual({ status: 6, signal: null });
  });

  it('leaves to execa what the shell would not pass on exactly', () => {
    const files = runFiles(join(root, 'x'));
    const plain = { files, command: 'bash', args: ['-c', 'true'], env: { PATH }, cwd: root, stdinFile: null };
    expect(canCarry(plain)).toBe(true);
    expect(canCarry({ ...plain, env: { PATH, BASH_ENV: '/etc/x' } })).toBe(false);
    expect(canCarry({ ...plain, env: { PATH, IFS: ':' } })).toBe(false);
    expect(canCarry({ ...plain, env: { PATH, 'A-B': '1' } })).toBe(false);
    expect(canCarry({ ...plain, env: { PATH, A: 'nul\0' } })).toBe(false);
    expect(canCarry({ ...plain, stdinFile: '/elsewhere' })).toBe(false);
  });
});
