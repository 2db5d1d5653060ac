import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { Leftovers } from '../../../src/core/runs/watching/leftovers';

const root = mkdtempSync(join(tmpdir(), 'wg-leftovers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
});

/**
 * Folders standing in for run cgroups (the kernel's rule is the same: only an empty one can be
 * removed); the processes of these runs are long gone (no pid, no marker anywhere). That real
 * leftovers are stopped is kill-escapees.test.ts's "a run that exits by itself".
 */
describe('what finished runs left running', () => {
  it('removes an empty run cgroup, with nothing to report', () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const leftovers = new Leftovers((message) => errors.push(message));
    const empty = join(root, 'wg-run-empty');
    mkdirSync(empty);
    leftovers.add({ pid: null, runId: null, cgroup: empty });
    vi.advanceTimersByTime(1_000);
    expect(existsSync(empty)).toBe(false);
    expect(errors).toEqual([]);
  });

  it('leaves one that cannot be removed when nothing in it runs, with nothing to report', () => {
    vi.useFakeTimers();
    const errors: string[] = [];
    const leftovers = new Leftovers((message) => errors.push(message));
    const held = join(root, 'wg-run-held');
    mkdirSync(held);
    writeFileSync(join(held, 'cgroup.events'), 'populated 0\nfrozen 0\n');
    leftovers.add({ pid: null, runId: null, cgroup: held });
    vi.advanceTimersByTime(1_000);
    expect(existsSync(held)).toBe(true);
    expect(errors).toEqual([]);
  });
});
