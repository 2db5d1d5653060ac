import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { setCgroupBaseForTests } from '../../../src/core/agents/run-cgroup';
import { canCarry, ForkServer, forkRun, forkServerHere } from '../../../src/core/coordinator/launching/fork-server';
import { killRuns } from '../../../src/core/agents/kill-runs';
import { readExitStatus, readRecordedPid, runFiles, type RunFiles } from '../../../src/core/runs/run-files';
import { processAlive } from '../../../src/core/agents/process-group';
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

/** A copy of the server whose jobs linger 5 s after their report (they are then still there to look at). */
function lingering(): string {
  const copy = join(root, 'lingering.sh');
  writeFileSync(copy, readFileSync(SCRIPT, 'utf8').replace('  __wg_say "e $__wg_r $__wg_s"\n  exit 0\n}', '  __wg_say "e $__wg_r $__wg_s"\n  sleep 5\n  exit 0\n}'));
  expect(readFileSync(copy, 'utf8')).toContain('  sleep 5\n');
  return copy;
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
  it('forks the job when the run is asked for, and the command as the job\'s child, in a process group of its own (the job is in none of the run\'s)', async () => {
    const files = run();
    const made = server(lingering());
    const before = new Set(serverPids());
    const spawned = await forkRun(made, { files, runId: 'rs1', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    // One plain command is exec'd by the run's process: the run's pid is the command's.
    await waitFor('the command to be exec\'d', () => readlinkSync(`/proc/${spawned.pid}/exe`).endsWith('/sleep'));
    expect(readRecordedPid(files)).toBe(spawned.pid);
    const job = parentOf(spawned.pid);
    expect(before.has(parentOf(job))).toBe(false);
    expect(serverPids()).toContain(parentOf(job));
    expect(groupOf(spawned.pid)).toBe(spawned.pid);
    expect(groupOf(job)).not.toBe(spawned.pid);
    process.kill(-spawned.pid, 'SIGKILL');
    expect((await spawned.ended).status).toBe(128 + 9);
    // The job outlives the run it waited for, and wrote how it ended.
    expect(readExitStatus(files)).toBe(137);
    expect(processAlive(job)).toBe(true);
  });

  it('runs a builtin that only sets a status in the job itself, with no second fork; a program forks and is killed as a whole', async () => {
    const made = server(lingering());
    const before = new Set(serverPids());
    const files = run();
    const builtin = await forkRun(made, { files, runId: 'rs10', command: 'bash', args: ['-c', 'false'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await builtin.ended).toEqual({ status: 1, signal: null });
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(readExitStatus(files)).toBe(1);
    // The pid it reported is the job's own (lingering here): the server's child, whose only child is its linger.
    expect(parentOf(builtin.pid)).toBe(serverPid);
    await waitFor('the job\'s linger', () => childrenOf(builtin.pid).length > 0);
    expect(childrenOf(builtin.pid).map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8'))).toEqual(['sleep\x005\x00']);
    // A line that forks: its command is the job's child, and a kill of its group ends all of it.
    const line = await forkRun(made, { files: run(), runId: 'rs11', command: 'bash', args: ['-c', 'sleep 30 & sleep 30; true'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('both sleeps', () => childrenOf(line.pid).length === 2);
    expect(parentOf(parentOf(line.pid))).toBe(serverPid);
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

  it('leaves the job alone under every kill of its run: the run ends as a whole and the job reports it (143 after SIGTERM, 137 after SIGKILL)', async () => {
    const made = server();
    const marker = `rs-kill-${process.pid}`;
    for (const force of [false, true]) {
      const files = run();
      // setsid: a process that left the run's group and session, found by its marker.
      const spawned = await forkRun(made, {
        files, runId: marker, command: 'bash', args: ['-c', 'setsid sleep 30 & sleep 30; true'], env: { PATH, WG_RUN_ID: `${marker}-${force}` }, cwd: root, stdinFile: null,
      });
      await waitFor('both sleeps', () => childrenOf(spawned.pid).length === 2);
      const job = parentOf(spawned.pid);
      expect(await killRuns([{ pid: spawned.pid, runId: `${marker}-${force}`, cgroup: null }], { force, graceMs: 2000 })).toBe(true);
      expect((await spawned.ended).status).toBe(force ? 137 : 143);
      expect(readExitStatus(files)).toBe(force ? 137 : 143);
      await waitFor('the job to exit after its report', () => !processAlive(job));
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
    // Each job wrote how its run ended, killed or not.
    expect(all.map((files) => readExitStatus(files))).toEqual(all.map((_, i) => (i % 2 ? i : 137)));
  });

  it('notices a run killed from outside at once, by its job\'s report: no timer runs meanwhile', async () => {
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

  it('killed mid-run: the run goes on, records its own end and its job still reports it (on the pipe this process still reads)', async () => {
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

  it('tells a run\'s end as soon as its job says it (the status is on disk), not once the job is gone', async () => {
    const files = run();
    const before = new Set(serverPids());
    const spawned = await forkRun(server(lingering()), { files, runId: 'rs8', command: 'bash', args: ['-c', 'exit 4'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await spawned.ended).toEqual({ status: 4, signal: null });
    expect(readExitStatus(files)).toBe(4);
    // Its job, the new server's only child, still lingers.
    const [serverPid] = serverPids().filter((pid) => !before.has(pid));
    expect(childrenOf(serverPid as number)).toHaveLength(1);
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
    // Its job started the command a moment later: it is killed as a whole, its end written down.
    await waitFor('the late run to be ended', () => readExitStatus(files) === 137, 10_000);
  });

  it('hands a run whose job was killed on its own (no kill of a run does that) to its files: "lost", at the next sweeps', async () => {
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
