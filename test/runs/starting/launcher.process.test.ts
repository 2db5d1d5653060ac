import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  cgroupBase,
  cgroupKill,
  cgroupPids,
  createRunCgroup,
  removeRunCgroup,
  setCgroupBaseForTests,
  warmCgroupJoins,
} from '../../../src/core/processes/run-cgroup';
import { launchRun, StartHeld } from '../../../src/core/runs/starting/launcher';
import { processesOfRuns } from '../../../src/core/processes/run-marker';
import { signalFromStatus } from '../../../src/core/run-failures/failure-reason';
import { readExitStatus, readRecordedPid, readRunCgroup, runFiles, type RunFiles } from '../../../src/core/run-folder/run-files';
import { waitFor } from '../../service/helpers/daemon-project';

const root = mkdtempSync(join(tmpdir(), 'wg-launcher-'));
/**
 * Run ids (the marker every process of a run carries, and its cgroup's name) unique to this test
 * process: the marker search looks at every process on the machine, so an earlier run of this file
 * (its sleeping run, were it left by a failed test) or one running at the same time in another
 * checkout would otherwise be found as this test's own.
 */
const RUN_TAG = `${process.pid}-${randomBytes(3).toString('hex')}`;
const id = (name: string) => `${name}-${RUN_TAG}`;
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  // The runs' cgroups (where this system gives them): every run here has ended.
  for (const name of ['r1', 'r2', 'r3', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11']) {
    const base = cgroupBase();
    if (base) removeRunCgroup(join(base, `wg-run-${id(name)}`));
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

/** What a test asks to start: the run's folder, its command, its whole environment and stdin. */
interface Start {
  files: RunFiles;
  runId: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  stdin?: string | null;
}
const spawnRun = (s: Start) =>
  launchRun({
    dir: s.files.dir,
    command: s.command,
    args: s.args,
    base: {},
    env: s.env,
    cwd: s.cwd,
    stdin: s.stdin ?? null,
    cgroup: createRunCgroup(s.runId),
  });
const SH = '/bin/sh';
/** The cgroup v2 line (`0::/path`) of a process's /proc/PID/cgroup. */
const v2Line = (text: string) => text.split('\n').find((line) => line.startsWith('0::'));

describe('the launcher', () => {
  it('records its pid and the exit status (a shell line may call exit itself), output appended to files', async () => {
    const files = run();
    const spawned = await spawnRun({
      files,
      runId: id('r1'),
      command: SH,
      args: ['-c', 'echo out; echo err >&2; trap "echo trapped" EXIT; exit 7'],
      env: { PATH },
      cwd: root,
    });
    expect(await spawned.ended).toEqual({ status: 7, signal: null });
    expect(readExitStatus(files)).toBe(7);
    expect(readRecordedPid(files)).toBe(spawned.pid);
    expect(readFileSync(files.stdout, 'utf8')).toBe('out\ntrapped\n');
    expect(readFileSync(files.stderr, 'utf8')).toBe('err\n');
  });

  it('passes argv untouched to a plain command and gives it stdin from a file', async () => {
    const files = run();
    const spawned = await spawnRun({
      files,
      runId: id('r2'),
      command: '/bin/sh',
      args: ['-c', 'printf "%s|" "$@"; cat', 'x', "it's", '$HOME', 'a b'],
      env: {},
      cwd: root,
      stdin: 'from stdin',
    });
    await spawned.ended;
    expect(readFileSync(files.stdout, 'utf8')).toBe("it's|$HOME|a b|from stdin");
    expect(readExitStatus(files)).toBe(0);
  });

  it("starts nothing once its coordinator's lease may lapse, and a fork that comes too late runs nothing", async () => {
    const start = (files: RunFiles, startWindowMs: () => number, name = 'r10') =>
      launchRun({
        dir: files.dir,
        command: SH,
        args: ['-c', `touch ${join(files.dir, 'ran')}`],
        base: {},
        env: { PATH },
        cwd: root,
        stdin: null,
        cgroup: createRunCgroup(id(name)),
        startWindowMs,
      });
    // The window closed: held, and nothing of the run is made.
    const held = runFiles(join(root, `agent-${++n}`));
    await expect(start(held, () => 0)).rejects.toBeInstanceOf(StartHeld);
    expect(existsSync(held.dir)).toBe(false);
    // Open: it runs as any run does.
    const open = run();
    expect(await (await start(open, () => 60_000)).ended).toEqual({ status: 0, signal: null });
    expect(existsSync(join(open.dir, 'ran'))).toBe(true);
    expect(readExitStatus(open)).toBe(0);
    // A coordinator frozen after it read the time and before its fork (here: 50 ms spent inside the window's
    // look, which says 10 ms are left): the wrapper begins past its time and runs nothing.
    const late = run();
    const frozen = () => {
      const until = performance.now() + 50;
      while (performance.now() < until) {
        // Frozen.
      }
      return 10;
    };
    expect(await (await start(late, frozen, 'r11')).ended).toEqual({ status: 75, signal: null });
    expect(existsSync(join(late.dir, 'ran'))).toBe(false);
    expect(readExitStatus(late)).toBeNull();
  });

  it('records the status of a line with a syntax error', async () => {
    const files = run();
    await (await spawnRun({ files, runId: id('r3'), command: SH, args: ['-c', 'echo plain &&'], env: { PATH }, cwd: root })).ended;
    expect(readExitStatus(files)).toBe(2);
  });

  it('starts each run as the leader of its own session and process group, with only the environment it is given', async () => {
    const files = run();
    const runId = id('r4');
    const spawned = await spawnRun({
      files,
      runId,
      command: SH,
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell's parameter expansion, for sh to read
      args: ['-c', 'echo "$WG_RUN_ID ${HOME-unset}"; sleep 30'],
      env: { PATH, WG_RUN_ID: runId },
      cwd: root,
    });
    try {
      await waitFor('the output', () => readFileSync(files.stdout, 'utf8').includes('\n'));
      expect(readFileSync(files.stdout, 'utf8')).toBe(`${runId} unset\n`);
      const [group, session] = groupAndSession(spawned.pid);
      expect(group).toBe(spawned.pid);
      expect(session).toBe(spawned.pid);
      // Whatever watches the run carries nothing a kill by marker finds: only the run's own processes.
      // (Waited for: `echo` prints before the line's `sleep` is forked.)
      let marked: number[] = [];
      await waitFor("the line's command to start", () => {
        marked = processesOfRuns(new Set([runId])).get(runId) ?? [];
        return marked.length > 0;
      });
      expect(marked).toContain(spawned.pid);
      expect(new Set(marked.map((pid) => groupAndSession(pid)[0]))).toEqual(new Set([spawned.pid]));
    } finally {
      // Killed whatever the checks came to: a failed check must not leave its `sleep 30` (carrying the marker) behind.
      process.kill(-spawned.pid, 'SIGKILL');
    }
    await waitFor('the run to be gone', () =>
      spawned.cgroup === null ? true : !readFileSync(join(spawned.cgroup, 'cgroup.events'), 'utf8').includes('populated 1'),
    );
    // A run killed as a whole: its wrapper dies with it and leaves no exit status (the coordinator
    // knows it killed it), and this process hears of it at once.
    const end = await spawned.ended;
    expect(end.signal ?? signalFromStatus(end.status as number)).toBe('SIGKILL');
    expect(readExitStatus(files)).toBeNull();
    if (spawned.cgroup) removeRunCgroup(spawned.cgroup);
  });

  it('gives the run exactly the environment it is given, whatever the values', async () => {
    const files = run();
    const env = { PATH, WG_RUN_ID: id('r8'), ODD: 'it\'s "quoted"\nover $HOME `lines`\\', EMPTY: '', SHLVL: '9' };
    await (await spawnRun({ files, runId: id('r8'), command: '/usr/bin/env', args: ['-0'], env, cwd: root })).ended;
    const seen = Object.fromEntries(
      readFileSync(files.stdout, 'utf8')
        .split('\0')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    );
    // (The wrapper shell may note the working folder in PWD.)
    expect({ ...seen, PWD: undefined }).toEqual({ ...env, PWD: undefined });
    // A later run without some of them has none of them.
    const next = run();
    await (
      await spawnRun({ files: next, runId: id('r9'), command: '/usr/bin/env', args: ['-0'], env: { PATH, WG_RUN_ID: id('r9') }, cwd: root })
    ).ended;
    expect(
      readFileSync(next.stdout, 'utf8')
        .split('\0')
        .filter((pair) => pair !== '' && !pair.startsWith('PWD=') && !pair.startsWith('_='))
        .sort(),
    ).toEqual([`PATH=${PATH}`, `WG_RUN_ID=${id('r9')}`]);
  });

  it('gives each run the environment every run shares with its own variables over it, and nothing else', async () => {
    const files = run();
    const runId = id('r6');
    await (
      await launchRun({
        dir: files.dir,
        command: '/usr/bin/env',
        args: ['-0'],
        base: { PATH, SHARED: 'base', MINE: 'base' },
        env: { MINE: 'own', WG_RUN_ID: runId },
        cwd: root,
        stdin: null,
        cgroup: createRunCgroup(runId),
      })
    ).ended;
    const pairs = readFileSync(files.stdout, 'utf8')
      .split('\0')
      .filter((pair) => pair !== '' && !pair.startsWith('PWD='));
    expect(Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]))).toEqual({
      PATH,
      SHARED: 'base',
      MINE: 'own',
      WG_RUN_ID: runId,
    });
  });

  it('starts many runs at once, each recorded', async () => {
    const all = Array.from({ length: 20 }, () => run());
    const spawned = await Promise.all(
      all.map((files, i) => spawnRun({ files, runId: id(`m${i}`), command: SH, args: ['-c', `exit ${i}`], env: { PATH }, cwd: root })),
    );
    const ends = await Promise.all(spawned.map((s) => s.ended));
    expect(ends.map((end) => end.status)).toEqual(all.map((_, i) => i));
    expect(all.map((files) => readExitStatus(files))).toEqual(all.map((_, i) => i));
    for (const s of spawned) if (s.cgroup) removeRunCgroup(s.cgroup);
  });

  it('fails with the reason when the command cannot start', async () => {
    const files = run();
    await expect(
      spawnRun({ files, runId: id('r5'), command: '/bin/true', args: [], env: { PATH }, cwd: join(root, 'missing') }),
    ).rejects.toThrow(/ENOENT|no such/i);
  });

  it('puts the run in a cgroup of its own where the system allows one (and records it), else in none', async () => {
    const base = cgroupBase();
    const files = run();
    const spawned = await spawnRun({
      files,
      runId: id('cg'),
      command: SH,
      args: ['-c', 'cat /proc/self/cgroup'],
      env: { PATH },
      cwd: root,
    });
    await spawned.ended;
    if (base === null) {
      // No delegated cgroup v2 here: the run is found by its marker alone (see kill-runs.test.ts).
      expect(spawned.cgroup).toBeNull();
      return;
    }
    const name = new RegExp(`^wg-run-${id('cg')}$`);
    expect(join(base, basename(spawned.cgroup as string))).toBe(spawned.cgroup);
    expect(basename(spawned.cgroup as string)).toMatch(name);
    expect(readRunCgroup(files)).toBe(spawned.cgroup);
    const own = v2Line(readFileSync(files.stdout, 'utf8'));
    expect(own?.endsWith(`/${basename(spawned.cgroup as string)}`)).toBe(true);
    removeRunCgroup(spawned.cgroup as string);
  });

  it.skipIf(cgroupBase() === null)(
    "readies a run's join by moving this process where it is: it stays there, the run joins its own",
    async () => {
      const mine = () => v2Line(readFileSync('/proc/self/cgroup', 'utf8'));
      const before = mine();
      // Two asked for at once are one move.
      const first = warmCgroupJoins();
      expect(warmCgroupJoins()).toBe(first);
      const files = run();
      const spawned = await spawnRun({
        files,
        runId: id('cw'),
        command: SH,
        args: ['-c', 'cat /proc/self/cgroup'],
        env: { PATH },
        cwd: root,
      });
      await first;
      await spawned.ended;
      expect(mine()).toBe(before);
      expect(cgroupPids(cgroupBase() as string)).toContain(process.pid);
      const own = v2Line(readFileSync(files.stdout, 'utf8'));
      expect(own?.endsWith(`/${basename(spawned.cgroup as string)}`)).toBe(true);
      removeRunCgroup(spawned.cgroup as string);
    },
  );

  it.skipIf(cgroupBase() === null)(
    'reports at once the end of a run killed as a whole by cgroup.kill, escapees included',
    async (context) => {
      const files = run();
      const spawned = await spawnRun({
        files,
        runId: id('ck'),
        command: SH,
        args: ['-c', 'setsid sleep 30 & sleep 30; true'],
        env: { PATH },
        cwd: root,
      });
      const cgroup = spawned.cgroup as string;
      await waitFor("both sleeps in the run's cgroup", () => cgroupPids(cgroup).length >= 3);
      if (!existsSync(join(cgroup, 'cgroup.kill'))) {
        process.kill(-spawned.pid, 'SIGKILL');
        context.skip(); // no cgroup.kill before Linux 5.14
      }
      expect(cgroupKill(cgroup)).toBe(true);
      const end = await spawned.ended;
      expect(end.signal ?? signalFromStatus(end.status as number)).toBe('SIGKILL');
      expect(readExitStatus(files)).toBeNull();
      await waitFor('the cgroup to be empty', () => cgroupPids(cgroup).length === 0);
      removeRunCgroup(cgroup);
    },
  );

  it('without a cgroup base, starts the run in none', async () => {
    setCgroupBaseForTests(null);
    const files = run();
    const spawned = await spawnRun({ files, runId: id('r7'), command: '/bin/true', args: [], env: { PATH }, cwd: root });
    await spawned.ended;
    expect(spawned.cgroup).toBeNull();
    expect(readRunCgroup(files)).toBeNull();
  });
});
