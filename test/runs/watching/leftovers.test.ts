import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

/** Every file read, by path: the cgroup's own files are what a sweep would look at. */
const reads = vi.hoisted(() => [] as string[]);
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  return {
    ...fs,
    readFileSync: ((path: Parameters<typeof fs.readFileSync>[0], ...rest: unknown[]) => {
      reads.push(String(path));
      return (fs.readFileSync as (...args: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync,
  };
});

const { Leftovers } = await import('../../../src/core/runs/watching/leftovers');

const root = mkdtempSync(join(tmpdir(), 'wg-leftovers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  reads.length = 0;
});

/**
 * Folders standing in for run cgroups (the kernel's rule is the same: only an empty one can be
 * removed); the processes of these runs are long gone (no pid, no marker anywhere).
 */
describe('what finished runs left running', () => {
  it('removes an empty run cgroup without reading it first: the removal itself says nothing is left', () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const leftovers = new Leftovers((message) => errors.push(message));
    const empty = join(root, 'wg-run-empty');
    mkdirSync(empty);
    leftovers.add({ pid: null, runId: null, cgroup: empty });
    vi.advanceTimersByTime(1_000);
    expect(existsSync(empty)).toBe(false);
    expect(reads.filter((path) => path.startsWith(empty))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('reads one that cannot be removed, and leaves it when nothing in it runs', () => {
    vi.useFakeTimers();
    const leftovers = new Leftovers((message) => {
      throw new Error(message);
    });
    const held = join(root, 'wg-run-held');
    mkdirSync(held);
    writeFileSync(join(held, 'cgroup.events'), 'populated 0\nfrozen 0\n');
    leftovers.add({ pid: null, runId: null, cgroup: held });
    vi.advanceTimersByTime(1_000);
    expect(reads).toContain(join(held, 'cgroup.events'));
    expect(existsSync(held)).toBe(true);
  });
});
