import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cgroupBase, removeRunCgroup } from '../../../src/core/runs/killing/run-cgroup';
import { RUN_MARKER } from '../../../src/core/runs/killing/run-marker';
import { DirectLauncher, runLauncher } from '../../../src/core/coordinator/launching/run-launcher';
import { SpawnerClient } from '../../../src/core/coordinator/launching/spawner-client';
import { readExitStatus, readRecordedPid, runFiles } from '../../../src/core/runs/files/run-files';
import { spawnerBundlePath } from '../../../src/core/service/bundled-files';

/**
 * How the coordinator starts runs (run-launcher.ts): on POSIX with bash 4+, through the run server
 * it forks itself, with no spawner process between; the spawner (execa) only for what the shell
 * cannot carry, or everywhere when WG_FORK_SERVER=0.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-run-launcher-'));
const TAG = `${process.pid}-${randomBytes(3).toString('hex')}`;
const id = (name: string) => `${name}-${TAG}`;
const PATH = process.env.PATH ?? '';
const spawner = { command: process.execPath, args: [spawnerBundlePath()], env: {} };
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  const base = cgroupBase();
  if (base) for (const name of ['d1', 'd2', 'd3']) removeRunCgroup(join(base, `wg-run-${id(name)}`));
});

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** This process's children running the spawner bundle. */
function spawnerChildren(): number[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => {
    try {
      return parentOf(pid) === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('spawner.mjs');
    } catch {
      return false;
    }
  });
}

describe.skipIf(process.platform === 'win32')('starting runs from the coordinator', () => {
  it('uses the spawner process where the run server is switched off', () => {
    const launcher = runLauncher({ ...spawner, env: { WG_FORK_SERVER: '0' } }, () => undefined);
    expect(launcher).toBeInstanceOf(SpawnerClient);
    launcher.close();
  });

  it('drives the run server itself: the run\'s worker is a child of a shell this process forked, and no spawner process runs', async () => {
    const errors: string[] = [];
    const launcher = runLauncher(spawner, (message) => errors.push(message));
    expect(launcher).toBeInstanceOf(DirectLauncher);
    try {
      const files = runFiles(join(root, 'd1'));
      const base = { PATH, SHARED: 'base' };
      const started = await launcher.start({
        dir: files.dir, runId: id('d1'), command: 'bash', args: ['-c', 'echo "$SHARED $OWN $WG_RUN_ID"; sleep 0.2'], base, env: { [RUN_MARKER]: id('d1'), OWN: 'own' }, cwd: root, stdin: 'the prompt',
      });
      const worker = parentOf(started.pid);
      expect(parentOf(parentOf(worker))).toBe(process.pid);
      // Its end is exact: the status its worker wrote to the exit file (no read of the file needed).
      expect(await started.ended).toEqual({ status: 0, signal: null, exact: true });
      expect(readFileSync(files.stdout, 'utf8')).toBe(`base own ${id('d1')}\n`);
      expect(readFileSync(files.stdin, 'utf8')).toBe('the prompt');
      expect(readRecordedPid(files)).toBe(started.pid);
      expect(readExitStatus(files)).toBe(0);
      expect(spawnerChildren()).toEqual([]);

      // A run the shell cannot carry exactly (a variable bash acts on itself) goes through the spawner, started for it.
      const odd = runFiles(join(root, 'd2'));
      const viaExeca = await launcher.start({
        dir: odd.dir, runId: id('d2'), command: '/usr/bin/env', args: [], base, env: { [RUN_MARKER]: id('d2'), BASH_ENV: '/no/such/file' }, cwd: root, stdin: null,
      });
      // The spawner's end is the wrapper's: its exit file is read.
      expect(await viaExeca.ended).toStrictEqual({ status: 0, signal: null });
      expect(readFileSync(odd.stdout, 'utf8').split('\n')).toContain('BASH_ENV=/no/such/file');
      expect(spawnerChildren()).toHaveLength(1);
      expect(errors).toEqual([]);
    } finally {
      launcher.close();
    }
  });

  it('keeps its process alive while a run it started may still report, and not once closed (the runs go on)', () => {
    const script = join(root, 'starter.mts');
    writeFileSync(script, `
      import { runLauncher } from ${JSON.stringify(join(import.meta.dirname, '../../../src/core/coordinator/launching/run-launcher.ts'))};
      const launcher = runLauncher(${JSON.stringify(spawner)}, () => undefined);
      const run = await launcher.start({ dir: process.argv[2], runId: process.argv[2], command: 'bash', args: ['-c', 'sleep 1; echo late'], base: { PATH: process.env.PATH }, env: {}, cwd: '/', stdin: null });
      if (process.argv[3] === 'close') launcher.close();
      else run.ended.then((end) => console.log('ended', end.status));
    `);
    const tsx = join(import.meta.dirname, '../../../node_modules/tsx/dist/esm/index.mjs');
    const starter = (dir: string, how: string) => execFileSync(process.execPath, ['--import', tsx, script, dir, how], { encoding: 'utf8' });
    expect(starter(join(root, 'w1'), 'wait')).toBe('ended 0\n');
    expect(starter(join(root, 'w2'), 'close')).toBe('');
    // Gone before its run ended (which still ends, and records it).
    expect(readExitStatus(runFiles(join(root, 'w2')))).toBeNull();
    expect(readFileSync(join(root, 'w2', 'stdout'), 'utf8')).toBe('');
  });

  it('fails a run that cannot start with the reason, and starts the next one', async () => {
    const launcher = runLauncher(spawner, () => undefined);
    try {
      const files = runFiles(join(root, 'd3'));
      await expect(launcher.start({ dir: files.dir, runId: id('d3'), command: 'true', args: [], base: { PATH }, env: {}, cwd: join(root, 'missing'), stdin: null })).rejects.toThrow(/no such working folder/);
      const next = await launcher.start({ dir: files.dir, runId: id('d3'), command: 'bash', args: ['-c', 'exit 5'], base: { PATH }, env: {}, cwd: root, stdin: null });
      expect(await next.ended).toEqual({ status: 5, signal: null, exact: true });
    } finally {
      launcher.close();
    }
  });
});
