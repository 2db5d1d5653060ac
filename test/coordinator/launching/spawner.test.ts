import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cgroupBase, removeRunCgroup, setCgroupBaseForTests } from '../../../src/core/agents/run-cgroup';
import { spawnRun } from '../../../src/core/coordinator/launching/spawner';
import { SpawnerClient } from '../../../src/core/coordinator/launching/spawner-client';
import { spawnerBundlePath } from '../../../src/core/service/app-files';
import { readExitStatus, readRecordedPid, readRunCgroup, runFiles, type RunFiles } from '../../../src/core/runs/run-files';
import { waitFor } from '../../service/helpers/daemon-project';

const root = mkdtempSync(join(tmpdir(), 'wg-spawner-'));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  // The runs' cgroups (where this system gives them): every run here has ended.
  for (const id of ['r1', 'r2', 'r3', 'r4', 'r5', 'r7']) {
    const base = cgroupBase();
    if (base) removeRunCgroup(join(base, `wg-run-${id}`));
  }
});
afterEach(() => setCgroupBaseForTests(undefined));
let n = 0;
function run(): RunFiles {
  const files = runFiles(join(root, `agent-${++n}`));
  mkdirSync(files.dir, { recursive: true });
  return files;
}
const PATH = process.env.PATH ?? '';

/** Fields 5 and 6 of /proc/<pid>/stat: process group and session. */
function groupAndSession(pid: number): [number, number] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(fields[2]), Number(fields[3])];
}

describe('the spawner (execa under the wrapper shell)', () => {
  it('records its pid and the exit status (a shell line may call exit itself), output appended to files', async () => {
    const files = run();
    const spawned = await spawnRun({ files, runId: 'r1', command: '/bin/sh', args: ['-c', 'echo out; echo err >&2; trap "echo trapped" EXIT; exit 7'], env: { PATH }, cwd: root, stdinFile: null });
    expect(await spawned.ended).toEqual({ status: 7, signal: null });
    expect(readExitStatus(files)).toBe(7);
    expect(readRecordedPid(files)).toBe(spawned.pid);
    expect(readFileSync(files.stdout, 'utf8')).toBe('out\ntrapped\n');
    expect(readFileSync(files.stderr, 'utf8')).toBe('err\n');
  });

  it('passes argv untouched to a plain command and gives it stdin from a file', async () => {
    const files = run();
    writeFileSync(files.stdin, 'from stdin');
    const spawned = await spawnRun({ files, runId: 'r2', command: '/bin/sh', args: ['-c', 'printf "%s|" "$@"; cat', 'x', "it's", '$HOME', 'a b'], env: {}, cwd: root, stdinFile: files.stdin });
    await spawned.ended;
    expect(readFileSync(files.stdout, 'utf8')).toBe("it's|$HOME|a b|from stdin");
    expect(readExitStatus(files)).toBe(0);
  });

  it('records the status of a line with a syntax error', async () => {
    const files = run();
    await (await spawnRun({ files, runId: 'r3', command: '/bin/sh', args: ['-c', 'echo plain &&'], env: { PATH }, cwd: root, stdinFile: null })).ended;
    expect(readExitStatus(files)).toBe(2);
  });

  it('starts each run as the leader of its own session and process group, with only the environment it is given', async () => {
    const files = run();
    const spawned = await spawnRun({
      files, runId: 'r4', command: '/bin/sh', args: ['-c', 'echo "$WG_RUN_ID ${HOME-unset}"; sleep 30'], env: { PATH, WG_RUN_ID: 'r4' }, cwd: root, stdinFile: null,
    });
    await waitFor('the output', () => readFileSync(files.stdout, 'utf8').includes('\n'));
    expect(readFileSync(files.stdout, 'utf8')).toBe('r4 unset\n');
    expect(groupAndSession(spawned.pid)).toEqual([spawned.pid, spawned.pid]);
    process.kill(-spawned.pid, 'SIGKILL');
    await waitFor('the run to be gone', () => (spawned.cgroup === null ? true : !readFileSync(join(spawned.cgroup, 'cgroup.events'), 'utf8').includes('populated 1')));
    // A run killed as a whole leaves no exit status: the coordinator knows it killed it.
    expect((await spawned.ended).signal).toBe('SIGKILL');
    expect(readExitStatus(files)).toBeNull();
  });

  it('fails with the reason when the command cannot start', async () => {
    const files = run();
    await expect(spawnRun({ files, runId: 'r5', command: '/bin/true', args: [], env: { PATH }, cwd: join(root, 'missing'), stdinFile: null })).rejects.toThrow(/ENOENT|no such/i);
  });

  it('puts the run in a cgroup of its own where the system allows one (and records it), else in none', async () => {
    const base = cgroupBase();
    const files = run();
    const spawned = await spawnRun({ files, runId: `cg${process.pid}`, command: '/bin/sh', args: ['-c', 'cat /proc/self/cgroup'], env: { PATH }, cwd: root, stdinFile: null });
    await spawned.ended;
    if (base === null) {
      // No delegated cgroup v2 here: the run is found by its marker alone (see kill-runs.test.ts).
      expect(spawned.cgroup).toBeNull();
      return;
    }
    expect(spawned.cgroup).toBe(join(base, `wg-run-cg${process.pid}`));
    expect(readRunCgroup(files)).toBe(spawned.cgroup);
    const own = readFileSync(files.stdout, 'utf8').split('\n').find((line) => line.startsWith('0::'));
    expect(own?.endsWith(`/wg-run-cg${process.pid}`)).toBe(true);
    removeRunCgroup(spawned.cgroup as string);
  });

  it('without a cgroup base, starts the run in none', async () => {
    setCgroupBaseForTests(null);
    const files = run();
    const spawned = await spawnRun({ files, runId: 'r7', command: '/bin/true', args: [], env: { PATH }, cwd: root, stdinFile: null });
    await spawned.ended;
    expect(spawned.cgroup).toBeNull();
    expect(readRunCgroup(files)).toBeNull();
  });
});

describe('the spawner process (the coordinator forks nothing itself)', () => {
  const launcher = { command: process.execPath, args: [spawnerBundlePath()], env: {} };

  it('starts runs on request and reports their ends; a run outlives a spawner that dies, and records its own end', async () => {
    const errors: string[] = [];
    const client = new SpawnerClient(launcher, (m) => errors.push(m));
    try {
      const first = runFiles(join(root, `agent-${++n}`));
      const quick = await client.start({ dir: first.dir, runId: 'sp1', command: '/bin/sh', args: ['-c', 'echo hi; exit 4'], env: { PATH }, cwd: root, stdin: 'unused' });
      expect(await quick.ended).toEqual({ status: 4, signal: null });
      expect(readFileSync(first.stdout, 'utf8')).toBe('hi\n');
      expect(readFileSync(first.stdin, 'utf8')).toBe('unused');

      const second = runFiles(join(root, `agent-${++n}`));
      const slow = await client.start({ dir: second.dir, runId: 'sp2', command: '/bin/sh', args: ['-c', 'sleep 1; exit 3'], env: { PATH }, cwd: root, stdin: null });
      const spawnerPid = Number(readFileSync(`/proc/${slow.pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      process.kill(spawnerPid, 'SIGKILL');
      expect(await slow.ended).toEqual({ status: null, signal: null, lost: true });
      await waitFor('the run to end on its own', () => readExitStatus(second) !== null, 10_000);
      expect(readExitStatus(second)).toBe(3);

      // The next start gets a new spawner.
      const third = runFiles(join(root, `agent-${++n}`));
      expect(await (await client.start({ dir: third.dir, runId: 'sp3', command: '/bin/true', args: [], env: { PATH }, cwd: root, stdin: null })).ended).toEqual({ status: 0, signal: null });
      await expect(client.start({ dir: third.dir, runId: 'sp4', command: '/bin/true', args: [], env: { PATH }, cwd: join(root, 'missing'), stdin: null })).rejects.toThrow(/ENOENT|no such/i);
      expect(errors).toEqual([]);
    } finally {
      client.close();
      const base = cgroupBase();
      if (base) for (const id of ['sp1', 'sp2', 'sp3', 'sp4']) removeRunCgroup(join(base, `wg-run-${id}`));
    }
  });
});
