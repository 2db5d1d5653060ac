import { describe, expect, it } from 'vitest';
import { frontierWeights } from '../../src/renderer/graph/view/frontier';
import { densestWindow } from '../../src/renderer/graph/view/viewport-math';
import type { TaskState } from '../../src/renderer/task-state/task-state';
import { filterKey, isFiltering, matchesFilter, NO_FILTER, type GraphFilter } from '../../src/renderer/graph/graph-filter';
import { makeTask } from './support/fixtures';

const CARD = { width: 232, height: 96 };

describe('the first view picks the densest part of the frontier', () => {
  it('weighs needs-you, failed and running over ready, and leaves out waiting and done work', () => {
    const states = new Map<string, TaskState>([
      ['a', { kind: 'needs-you', text: 'needs you' }],
      ['b', { kind: 'running', text: 'running' }],
      ['c', { kind: 'failed', text: 'failed' }],
      ['d', { kind: 'ready', text: 'ready' }],
      ['e', { kind: 'waiting', text: 'waiting on a' }],
      ['f', { kind: 'done', text: 'done' }],
    ]);
    expect([...frontierWeights(states)]).toEqual([
      ['a', 4],
      ['b', 3],
      ['c', 3],
      ['d', 1],
    ]);
  });

  it('centres on the window holding the most frontier weight, not between far-apart tasks', () => {
    // A lone running task far left; a cluster of three running and two ready far right.
    const positions = {
      lone: { x: 0, y: 0 },
      r1: { x: 20_000, y: 0 },
      r2: { x: 20_300, y: 200 },
      r3: { x: 20_600, y: 0 },
      q1: { x: 20_000, y: 400 },
      q2: { x: 20_300, y: 400 },
    };
    const weights = new Map([
      ['lone', 3],
      ['r1', 3],
      ['r2', 3],
      ['r3', 3],
      ['q1', 1],
      ['q2', 1],
    ]);
    const middle = densestWindow(weights, positions, CARD, { width: 1600, height: 1000 });
    // The box around r1…r3, q1, q2: x 20,000-20,832, y 0-496.
    expect(middle).toEqual({ x: 20_416, y: 248 });
  });

  it('keeps every card of the chosen window inside it', () => {
    const positions: Record<string, { x: number; y: number }> = {};
    const weights = new Map<string, number>();
    for (let i = 0; i < 50; i++) {
      positions[`t${i}`] = { x: (i % 10) * 330, y: Math.floor(i / 10) * 130 };
      weights.set(`t${i}`, 1);
    }
    const size = { width: 1400, height: 800 };
    const middle = densestWindow(weights, positions, CARD, size) as { x: number; y: number };
    const inside = Object.values(positions).filter(
      (p) =>
        p.x >= middle.x - size.width / 2 &&
        p.x + CARD.width <= middle.x + size.width / 2 &&
        p.y >= middle.y - size.height / 2 &&
        p.y + CARD.height <= middle.y + size.height / 2,
    );
    // Three columns and all five rows fit a window centred on a card; centred on their middle they are all inside.
    expect(inside.length).toBeGreaterThanOrEqual(15);
  });

  it('has nothing to centre on without a placed frontier task', () => {
    expect(densestWindow(new Map([['x', 1]]), {}, CARD, { width: 100, height: 100 })).toBeNull();
  });
});

describe('focus on a task', () => {
  it('keeps the task and what is up to N links before or after it, not siblings reached through a dependency', async () => {
    const { neighbourhood } = await import('../../src/renderer/graph/graph-filter');
    const { makeTask } = await import('./support/fixtures');
    const tasks = new Map(
      [
        makeTask({ id: 'a' }),
        makeTask({ id: 'b', after: ['a'] }),
        makeTask({ id: 'c', after: ['b'] }),
        makeTask({ id: 'd', after: ['c'] }),
        makeTask({ id: 'side', after: ['a'] }),
        makeTask({ id: 'far', after: ['d'] }),
      ].map((task) => [task.id, task]),
    );
    expect([...neighbourhood(tasks, 'c', 1)].sort()).toEqual(['b', 'c', 'd']);
    expect([...neighbourhood(tasks, 'c', 2)].sort()).toEqual(['a', 'b', 'c', 'd', 'far']);
    expect(neighbourhood(tasks, 'missing', 2).size).toBe(0);
  });

  it('walks a 50,000-task chain without overflowing the stack', async () => {
    const { neighbourhood } = await import('../../src/renderer/graph/graph-filter');
    const { makeTask } = await import('./support/fixtures');
    const tasks = new Map(
      Array.from({ length: 50_000 }, (_, i) => makeTask({ id: `t${i}`, after: i > 0 ? [`t${i - 1}`] : [] })).map((task) => [task.id, task]),
    );
    expect(neighbourhood(tasks, 't25000', 100_000).size).toBe(50_000);
  });
});

describe('hiding finished work (issue 29 item 3)', () => {
  it('leaves done and abandoned tasks out, and changes the layout key', () => {
    const filter: GraphFilter = { states: new Set(), tag: '', hideFinished: true };
    const of = (kind: TaskState['kind']) => matchesFilter(makeTask({ id: kind }), { kind, text: kind }, filter);
    expect(['done', 'abandoned'].map((kind) => of(kind as TaskState['kind']))).toEqual([false, false]);
    expect(['running', 'failed', 'ready', 'waiting', 'needs-you', 'paused'].every((kind) => of(kind as TaskState['kind']))).toBe(true);
    expect(isFiltering(filter)).toBe(true);
    expect(filterKey(filter)).not.toBe(filterKey(NO_FILTER));
  });
});
