import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { setCgroupBaseForTests } from '../../../src/core/agents/run-cgroup';
import { canCarry, forkRun, forkServerHere, isJobNotice, type ForkServer } from '../../../src/core/coordinator/launching/fork-server';
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
  it('takes bash\'s job-status notices about its own jobs for what they are, not for errors (one failed a CI run)', () => {
    expect(isJobNotice('[12]+  Exit 11                 eval "__wg_spare ${__wg_line#__wg_spare }" < /dev/null > /dev/null 2> /dev/null')).toBe(true);
    expect(isJobNotice('[3]   Done                    eval "__wg_spare ${__wg_line#__wg_spare }" < /dev/null > /dev/null 2> /dev/null')).toBe(true);
    expect(isJobNotice('wg-run-server: line 103: 26061 Killed                  eval "__wg_spare ${__wg_line#__wg_spare }" < /dev/null > /dev/null 2> /dev/null')).toBe(true);
    expect(isJobNotice('wg-run-server: line 74: syntax error near unexpected token `(')).toBe(false);
    expect(isJobNotice('[1]+  Exit 2   some_other_command')).toBe(false);
  });

  it('starts a bash line with one fork: the job that leads the run is the server\'s bash, with no other shell exec\'d', async () => {
    const files = run();
    const spawned = await forkRun(server(), { files, runId: 'rs1', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('the line to start', () => childrenOf(spawned.pid).length > 0);
    expect(readRecordedPid(files)).toBe(spawned.pid);
    expect(readlinkSync(`/proc/${spawned.pid}/exe`)).toMatch(/\/bash$/);
    // The line's subshell, then its command: nothing between the job and the line but bash itself.
    const [subshell] = childrenOf(spawned.pid);
    expect(readlinkSync(`/proc/${subshell}/exe`)).toMatch(/\/(bash|sleep)$/);
    process.kill(-spawned.pid, 'SIGKILL');
    expect((await spawned.ended).status).toBe(128 + 9);
    expect(readExitStatus(files)).toBeNull();
  });

  it('runs one plain command as the job\'s own child, and a longer line in a subshell between', async () => {
    const made = server();
    const plain = await forkRun(made, { files: run(), runId: 'rs5', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
    const line = await forkRun(made, { files: run(), runId: 'rs6', command: 'bash', args: ['-c', 'sleep 30; true'], env: { PATH }, cwd: root, stdinFile: null });
    await waitFor('both to start', () => childrenOf(plain.pid).length > 0 && childrenOf(line.pid).length > 0);
    const exe = (pid: number) => readlinkSync(`/proc/${pid}/exe`);
    expect(childrenOf(plain.pid).map(exe)).toEqual([expect.stringMatching(/\/sleep$/)]);
    expect(childrenOf(line.pid).map(exe)).toEqual([expect.stringMatching(/\/bash$/)]);
    for (const spawned of [plain, line]) process.kill(-spawned.pid, 'SIGKILL');
    expect((await plain.ended).status).toBe(137);
    expect((await line.ended).status).toBe(137);
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
    expect(all.map((files) => readExitStatus(files))).toEqual(all.map((_, i) => (i % 2 ? i : null)));
  });

  it('notices a run killed from outside at once, by its job\'s connection closing: no timer runs meanwhile', async () => {
    const files = run();
    const made = server();
    const sleep = globalThis.setTimeout;
    // Nothing may poll: with the timers stopped from before the start, only an event can end the wait (else the test times out).
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    try {
      const spawned = await forkRun(made, { files, runId: 'rs4', command: 'bash', args: ['-c', 'sleep 30'], env: { PATH }, cwd: root, stdinFile: null });
      // The run under way and everything else idle (a shell waiting in `read` runs no CHLD trap until it returns).
      while (childrenOf(spawned.pid).length === 0) await new Promise((settle) => sleep(settle, 20));
      await new Promise((settle) => sleep(settle, 300));
      process.kill(-spawned.pid, 'SIGKILL');
      expect(await spawned.ended).toEqual({ status: 128 + 9, signal: null });
    } finally {
      vi.useRealTimers();
    }
    expect(readExitStatus(files)).toBeNull();
  });

  it('gives values with quotes, newlines and $ exactly, and a line sees them as the run\'s variables', async () => {
    const files = run();
    const odd = "it's \"quoted\"\nover $HOME `lines`\\ $(echo no) '";
    await (await forkRun(server(), { files, runId: 'rs2', command: 'bash', args: ['-c', 'printf %s "$ODD"'], env: { PATH, ODD: odd }, cwd: root, stdinFile: null })).ended;
    expect(readFileSync(files.stdout, 'utf8')).toBe(odd);
  });

  it('killed mid-run: the run goes on, records its own end and still reports it (through its own connection)', async () => {
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
    // A job that lingers after saying its status: the end must not wait for it.
    const lingering = join(root, 'lingering.sh');
    writeFileSync(lingering, readFileSync(SCRIPT, 'utf8').replace('  exit "$__wg_s"\n}', '  sleep 30\n  exit "$__wg_s"\n}'));
    expect(readFileSync(lingering, 'utf8')).toContain('sleep 30');
    const files = run();
    const spawned = await forkRun(server(lingering), { files, runId: 'rs8', command: 'bash', args: ['-c', 'exit 4'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await spawned.ended).toEqual({ status: 4, signal: null });
    expect(readExitStatus(files)).toBe(4);
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
