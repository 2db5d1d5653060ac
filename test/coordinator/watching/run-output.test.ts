import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutputParser } from '../../../src/core/output/index';
import { readRunEvents } from '../../../src/core/runs/run-log';
import { OutputTail } from '../../../src/core/coordinator/watching/output-tail';
import { launchProcess } from '../../../src/core/coordinator/launching/process-launch';
import { readExitStatus, readRecordedPid, readTailPosition, runFiles, type RunFiles } from '../../../src/core/runs/run-files';
import { SpawnHelper } from '../../../src/core/coordinator/launching/spawn-helper';
import { helperScript, onPath, quote, REAP_LINE } from '../../../src/core/coordinator/launching/spawn-helper-script';
import { isZombieOrGone, waitFor } from '../../service/helpers/daemon-project';

const root = mkdtempSync(join(tmpdir(), 'wg-runout-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
function run(): RunFiles {
  const files = runFiles(join(root, `agent-${++n}`));
  mkdirSync(files.dir, { recursive: true });
  return files;
}
const texts = (files: RunFiles) => readRunEvents(files.dir, 'a', 0, 1000).events.map((e) => ('text' in e.event ? `${e.event.type}:${e.event.text}` : e.event.type));

describe('the output tail', () => {
  it('consumes whole lines only, keeps stdout and stderr apart, and flushes the rest at the end', () => {
    const files = run();
    const tail = new OutputTail(files, createOutputParser('plain'), true);
    writeFileSync(files.stdout, 'one\ntw');
    writeFileSync(files.stderr, 'oops\n');
    tail.drain();
    expect(texts(files)).toEqual(['text:one', 'stderr:oops']);
    appendFileSync(files.stdout, 'o\nthr€');
    tail.drain();
    expect(readTailPosition(files)).toEqual({ stdout: 8, stderr: 5, events: 3 });
    appendFileSync(files.stdout, 'ee');
    tail.drain(true);
    tail.close();
    expect(texts(files)).toEqual(['text:one', 'stderr:oops', 'text:two', 'text:thr€ee']);
  });

  it('after a crash mid-batch, cuts the events past the saved position and parses them again: nothing lost, nothing twice', () => {
    const files = run();
    writeFileSync(files.stdout, 'a\nb\n');
    const first = new OutputTail(files, createOutputParser('plain'), true);
    first.drain();
    first.close();
    // The daemon wrote events for "c" and died before saving its position.
    appendFileSync(files.stdout, 'c\n');
    const position = readFileSync(files.tail, 'utf8');
    const crashed = new OutputTail(files, createOutputParser('plain'));
    crashed.drain();
    crashed.close();
    writeFileSync(files.tail, position);
    expect(texts(files)).toEqual(['text:a', 'text:b', 'text:c']);

    appendFileSync(files.stdout, 'd\n');
    const resumed = new OutputTail(files, createOutputParser('plain'));
    expect(resumed.total).toBe(2);
    resumed.drain(true);
    resumed.close();
    expect(texts(files)).toEqual(['text:a', 'text:b', 'text:c', 'text:d']);
  });
});

describe('the wrapper', () => {
  it('records its pid and the exit status (a shell line may call exit itself), output appended to files', async () => {
    const files = run();
    const child = launchProcess(files, { command: '/bin/sh', args: ['-c', 'echo out; echo err >&2; trap "echo trapped" EXIT; exit 7'], env: { PATH: process.env.PATH ?? '' }, cwd: root, stdinFile: null });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readExitStatus(files)).toBe(7);
    expect(readRecordedPid(files)).toBe(child.pid);
    expect(readFileSync(files.stdout, 'utf8')).toBe('out\ntrapped\n');
    expect(readFileSync(files.stderr, 'utf8')).toBe('err\n');
  });

  it('passes argv untouched to a plain command and gives it stdin from a file', async () => {
    const files = run();
    writeFileSync(files.stdin, 'from stdin');
    const child = launchProcess(files, { command: '/bin/sh', args: ['-c', 'printf "%s|" "$@"; cat', 'x', 'it\'s', '$HOME', 'a b'], env: {}, cwd: root, stdinFile: files.stdin });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readFileSync(files.stdout, 'utf8')).toBe("it's|$HOME|a b|from stdin");
    expect(readExitStatus(files)).toBe(0);
  });

  it('records the status of a line with a syntax error', async () => {
    const files = run();
    const child = launchProcess(files, { command: '/bin/sh', args: ['-c', 'echo plain &&'], env: { PATH: process.env.PATH ?? '' }, cwd: root, stdinFile: null });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readExitStatus(files)).toBe(2);
  });

  it('writes no exit status when the group is killed', async () => {
    const files = run();
    const child = launchProcess(files, { command: '/bin/sh', args: ['-c', 'sleep 30'], env: { PATH: process.env.PATH ?? '' }, cwd: root, stdinFile: null });
    await waitFor('the pid file', () => readRecordedPid(files));
    process.kill(-(child.pid as number), 'SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(readExitStatus(files)).toBeNull();
  });
});

describe.each(['group', 'session'] as const)('the spawn helper in %s mode', (mode) => {
  it('starts each job as the leader of its own process group, with its environment, and reports its end', async () => {
    const ended = new Map<string, number | null>();
    const errors: string[] = [];
    const helper = new SpawnHelper({ PATH: process.env.PATH ?? '', KEPT: 'base' }, (id, status) => ended.set(id, status), (m) => errors.push(m), [mode]);
    // A new `sh` prints its own process group: the job's.
    const line = 'echo "${WG_TASK_ID-unset} $KEPT $(sh -c \'ps -o pgid= -p $$\')"\necho second line; exit 3';
    const start = async (env: Record<string, string>) => {
      const files = run();
      const pid = await helper.start({ agentId: `agent-${n}`, dir: files.dir, command: '/bin/sh', args: ['-c', line], env, cwd: root, stdinFile: null });
      await waitFor('the report', () => ended.has(`agent-${n}`));
      return { files, pid, status: ended.get(`agent-${n}`), out: readFileSync(files.stdout, 'utf8').trim().split(/\s+/) };
    };
    const first = await start({ WG_TASK_ID: "it's", KEPT: 'changed' });
    if (first.pid === null) return; // neither bash nor setsid here: the direct spawn covers it
    expect(first.status).toBe(3);
    expect(readExitStatus(first.files)).toBe(3);
    expect(readRecordedPid(first.files)).toBe(first.pid);
    expect(first.out).toEqual(["it's", 'changed', String(first.pid), 'second', 'line']);
    // The next job's environment is its own: nothing left over from the first.
    const second = await start({});
    expect(second.out).toEqual(['unset', 'base', String(second.pid), 'second', 'line']);
    expect(errors).toEqual([]);
    helper.close();
  });

  it('runs plain lines in the wrapper itself with their status, and gives each run its own $$', async () => {
    const ended = new Map<string, number | null>();
    const helper = new SpawnHelper({ PATH: process.env.PATH ?? '' }, (id, status) => ended.set(id, status), () => undefined, [mode]);
    const start = async (line: string) => {
      const files = run();
      const agentId = `agent-${n}`;
      const pid = await helper.start({ agentId, dir: files.dir, command: '/bin/sh', args: ['-c', line], env: {}, cwd: root, stdinFile: null });
      await waitFor('the report', () => ended.has(agentId));
      return { pid, status: ended.get(agentId), exitFile: readExitStatus(files), out: readFileSync(files.stdout, 'utf8') };
    };
    const ok = await start('echo one && true');
    if (ok.pid === null) return; // neither bash nor setsid here: the direct spawn covers it
    expect(ok).toMatchObject({ status: 0, exitFile: 0, out: 'one\n' });
    expect(await start('grep -q needle /nonexistent-wg-file')).toMatchObject({ status: 2, exitFile: 2 });
    expect(await start('false || echo fallback')).toMatchObject({ status: 0, out: 'fallback\n' });
    expect(await start('echo never &&')).toMatchObject({ status: 2, exitFile: 2, out: '' });
    const first = await start('echo $$');
    const second = await start('echo $$');
    expect(first.out).not.toBe(second.out);
    helper.close();
  });

  it('leaves to the direct spawn what it cannot carry', async () => {
    const helper = new SpawnHelper({}, () => undefined, () => undefined, [mode]);
    const job = { agentId: 'agent-y', dir: root, command: '/bin/true', args: [], env: {}, cwd: root, stdinFile: null };
    expect(helper.canCarry(job)).toBe(true);
    expect(helper.canCarry({ ...job, args: ['a\0b'] })).toBe(false);
    expect(helper.canCarry({ ...job, env: { IFS: ':' } })).toBe(false);
    expect(helper.canCarry({ ...job, env: { 'NOT-A-NAME': 'x' } })).toBe(false);
    expect(await helper.start({ ...job, env: { BASH_ENV: '/tmp/x' } })).toBeNull();
    helper.close();
  });
});

describe.each(['group', 'session'] as const)('the helper script in %s mode', (mode) => {
  it("keeps no finished run in the shell's job table (a table of every run made each start slower)", async () => {
    const shell = mode === 'group' ? onPath('bash') : onPath('setsid') && '/bin/sh';
    if (!shell) return; // not this mode here: another one (or the direct spawn) carries the runs
    const runs = mkdtempSync(join(root, 'jobs-'));
    const helper = spawn(shell, ['-s'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    createInterface({ input: helper.stdout }).on('line', (line) => lines.push(line));
    helper.stdin.write(`${helperScript(mode)}__wg_r=${quote(runs)}; __wg_cwd=${quote(root)}\n`);
    for (let i = 0; i < 20; i++) {
      mkdirSync(join(runs, `r${i}`));
      helper.stdin.write(`__wg_job r${i} /dev/null l true\n`);
    }
    await waitFor('the runs to end', () => lines.filter((line) => line.startsWith('x ')).length === 20);
    const pids = lines.filter((line) => line.startsWith('s ')).map((line) => Number(line.split(' ')[2]));
    await waitFor('the wrappers to exit', () => pids.every((pid) => isZombieOrGone(pid)));
    // bash forgets each job as it starts; dash, once shown them by the reaper's line.
    if (mode === 'session') helper.stdin.write(REAP_LINE);
    helper.stdin.write(`jobs > ${quote(join(runs, 'jobs'))}; echo listed\n`);
    await waitFor('the job list', () => lines.includes('listed'));
    helper.stdin.end();
    expect(readFileSync(join(runs, 'jobs'), 'utf8')).toBe('');
  });
});
