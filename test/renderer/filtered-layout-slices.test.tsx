// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Task } from '../../src/shared/task';
import { LayoutRunnerProvider } from '../../src/renderer/graph/layout/layout-runner-context';
import { useGraphLayout } from '../../src/renderer/graph/use-graph-layout';
import { makeTask } from './support/fixtures';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

const wrapper = ({ children }: { children: ReactNode }) => <LayoutRunnerProvider>{children}</LayoutRunnerProvider>;

/** Three chains side by side, 400 tasks each: a plan whose input takes more than one time slice to read from nothing. */
function plan(): Map<string, Task> {
  const tasks = new Map<string, Task>();
  for (let chain = 0; chain < 3; chain++) {
    for (let i = 0; i < 400; i++) {
      const id = `c${chain}-${i}`;
      tasks.set(id, makeTask({ id, after: i === 0 ? [] : [`c${chain}-${i - 1}`] }));
    }
  }
  return tasks;
}

/**
 * A clock that runs a millisecond a read: a time slice (12 ms, the clock read every 32nd task) is over after about 400
 * tasks, whatever this machine's speed, so a filter's input cannot be read within one render.
 */
function slowClock(): void {
  let now = performance.now();
  vi.spyOn(performance, 'now').mockImplementation(() => (now += 1));
}

/** The tasks a filter shows, counting each look at whether a task is among them (one per task read). */
function countedSet(ids: readonly string[]): { set: Set<string>; looks: () => number } {
  let looks = 0;
  const set = new (class extends Set<string> {
    override has(id: string): boolean {
      looks++;
      return super.has(id);
    }
  })(ids);
  return { set, looks: () => looks };
}

describe('a new filter on a big plan (use-graph-layout.ts)', () => {
  it('reads its tasks in time slices after the render that asked, keeping the picture shown, pending, until they are read', async () => {
    const tasks = plan();
    const { result, rerender } = renderHook(
      ({ shown }: { shown: ReadonlySet<string> | null }) => useGraphLayout(tasks, 1, shown, shown ? 'chain 0' : ''),
      { wrapper, initialProps: { shown: null as ReadonlySet<string> | null } },
    );
    await waitFor(() => expect(result.current.pending).toBe(false));
    const whole = result.current.layout;
    expect(Object.keys(whole.positions)).toHaveLength(1200);
    slowClock();
    const { set: chain0, looks } = countedSet([...tasks.keys()].filter((id) => id.startsWith('c0-')));
    act(() => rerender({ shown: chain0 }));
    // The render that asked read a slice of the 1,200 tasks, not all: the picture before stays, said to be pending.
    expect(looks()).toBeGreaterThan(0);
    expect(looks()).toBeLessThan(tasks.size / 2);
    expect(result.current.pending).toBe(true);
    expect(result.current.layout).toBe(whole);
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(Object.keys(result.current.layout.positions).sort()).toEqual([...chain0].sort());
  });

  it('reads a filter whole in its render when it overtakes one still read in slices, so that a picture always comes', async () => {
    const tasks = plan();
    const { result, rerender } = renderHook(
      ({ shown }: { shown: ReadonlySet<string> | null }) => useGraphLayout(tasks, 1, shown, shown ? `${shown.size}` : ''),
      { wrapper, initialProps: { shown: null as ReadonlySet<string> | null } },
    );
    await waitFor(() => expect(result.current.pending).toBe(false));
    slowClock();
    act(() => rerender({ shown: new Set([...tasks.keys()].filter((id) => !id.startsWith('c2-'))) }));
    expect(result.current.pending).toBe(true);
    // Overtaken before its slices are done: the next filter is read whole at once.
    const { set: chain1, looks } = countedSet([...tasks.keys()].filter((id) => id.startsWith('c1-')));
    act(() => rerender({ shown: chain1 }));
    expect(looks()).toBeGreaterThanOrEqual(tasks.size);
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(Object.keys(result.current.layout.positions).sort()).toEqual([...chain1].sort());
  });
});
