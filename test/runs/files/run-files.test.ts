import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/** Existence checks made, by path: a run's end reads its small files without one first. */
const checks = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    existsSync: ((path: Parameters<typeof fs.existsSync>[0]) => {
      checks.push(String(path));
      return fs.existsSync(path);
    }) as typeof fs.existsSync,
  };
});

const { readExitStatus, readRunCgroup, runFiles } = await import('../../../src/core/run-folder/run-files');

const root = mkdtempSync(join(tmpdir(), 'wg-run-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  checks.length = 0;
});

function run(name: string) {
  const dir = join(root, name);
  mkdirSync(dir);
  return runFiles(dir);
}

describe("a run's small files, read at its end", () => {
  it('exit status: the number on a complete line; nothing while the file is missing or its line unfinished', () => {
    const files = run('exit');
    expect(readExitStatus(files)).toBeNull();
    writeFileSync(files.exit, '13');
    expect(readExitStatus(files)).toBeNull();
    writeFileSync(files.exit, '13\n');
    expect(readExitStatus(files)).toBe(13);
    writeFileSync(files.exit, 'x\n');
    expect(readExitStatus(files)).toBeNull();
    // A run folder that is not there (an adopted run whose folder went) reads as no status.
    expect(readExitStatus(runFiles(join(root, 'gone')))).toBeNull();
    expect(checks).toEqual([]);
  });

  it('cgroup: the folder the run joined, or none (missing or empty file); a long path is read whole', () => {
    const files = run('cgroup');
    expect(readRunCgroup(files)).toBeNull();
    writeFileSync(files.cgroup, '\n');
    expect(readRunCgroup(files)).toBeNull();
    writeFileSync(files.cgroup, '/sys/fs/cgroup/wg-run-abc\n');
    expect(readRunCgroup(files)).toBe('/sys/fs/cgroup/wg-run-abc');
    const long = `/sys/fs/cgroup/${'a/'.repeat(6000)}wg-run-abc`;
    writeFileSync(files.cgroup, `${long}\n`);
    expect(readRunCgroup(files)).toBe(long);
    expect(checks).toEqual([]);
  });
});
