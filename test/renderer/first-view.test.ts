import { describe, expect, it } from 'vitest';
import { dependentsIndex } from '../../src/renderer/state/dependents';
import { densestWindow, urgencyWeights } from '../../src/renderer/graph/view/viewport-math';
import { neighboursOf, withNeighbours, workTarget } from '../../src/renderer/graph/view/work-set';
import { decideWorkView, readableGrid } from '../../src/renderer/graph/view/work-view';
import { READABLE_ZOOM } from '../../src/renderer/graph/view/zoom-levels';
import type { TaskState } from '../../src/renderer/task-state/task-state';
import { filterKey, isFiltering, matchesFilter, NO_FILTER, type GraphFilter } from '../../src/renderer/graph/graph-filter';
import { makeTask } from './support/fixtures';

const CARD = { width: 232, height: 96 };

describe('the first view frames the work (issue 38 item 1)', () => {
  const now = Date.parse('2025-06-02T08:00:00Z');
  const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();
  const tasks = new Map(
    [
      makeTask({ id: 'ready' }),
      makeTask({ id: 'run', status: 'in-progress' }),
      makeTask({ id: 'broke', status: 'failed' }),
      makeTask({ id: 'person' }),
      makeTask({ id: 'fresh', status: 'done', completed_at: minutesAgo(3) }),
      makeTask({ id: '.flip-fresh', status: 'done', completed_at: minutesAgo(3), after: ['fresh'] }),
      makeTask({ id: 'old', status: 'done', completed_at: minutesAgo(90) }),
      makeTask({ id: 'wait', after: ['run'] }),
      makeTask({ id: 'judge', status: 'pending-eval' }),
    ].map((task) => [task.id, task]),
  );
  const states = new Map<string, TaskState>([
    ['ready', { kind: 'ready', text: 'ready' }],
    ['run', { kind: 'running', text: 'running' }],
    ['broke', { kind: 'failed', text: 'failed' }],
    ['person', { kind: 'needs-you', text: 'needs you' }],
    ['fresh', { kind: 'done', text: 'done' }],
    ['.flip-fresh', { kind: 'done', text: 'done' }],
    ['old', { kind: 'done', text: 'done' }],
    ['wait', { kind: 'waiting', text: 'waiting on run' }],
    ['judge', { kind: 'evaluating', text: 'done; awaiting evaluation' }],
  ]);

  it('is what a person acts on, most urgent first: needs you, failed, running, evaluating, just finished; then what is ready', () => {
    expect(workTarget(tasks, states, now)).toEqual({
      ids: ['person', 'broke', 'run', 'judge', 'fresh', 'ready'],
      about: 'the work',
      of: 'work',
      mostUrgent: 1,
      acting: 5,
    });
  });

  it('is what is ready next when nothing is active', () => {
    const calm = new Map([...states].filter(([id]) => ['ready', 'old', 'wait'].includes(id)));
    expect(workTarget(tasks, calm, now)).toMatchObject({ ids: ['ready'], about: 'what is ready next' });
  });

  it('gives each task some context before any gets all of it: dependents first, upstream bookkeeping last', () => {
    const neighbours = (id: string) => neighboursOf(id, tasks, dependentsIndex(tasks));
    expect(neighbours('fresh')).toEqual(['.flip-fresh']);
    expect(neighbours('run')).toEqual(['wait']);
    expect(withNeighbours(['run', 'fresh'], neighbours, 3)).toEqual(['run', 'fresh', 'wait']);
    expect(withNeighbours(['run', 'fresh'], neighbours, 10)).toEqual(['run', 'fresh', 'wait', '.flip-fresh']);
  });
});

describe('where the view frames a set of tasks', () => {
  const area = { width: 1272, height: 829, coveredRight: 0 };
  const small = { width: 856, height: 629, coveredRight: 0 };
  const decide = (positions: Record<string, { x: number; y: number }>, target: string[], space = area, mostUrgent = target.length) =>
    decideWorkView({
      target,
      mostUrgent,
      positions,
      complete: true,
      bounds: { x: 0, y: 0, width: 200_000, height: 6000 },
      area: space,
      card: CARD,
      neighbours: () => [],
      lensOf: (ids) => [...ids],
    });

  it('frames tasks that lie close together where they are, at a readable zoom', () => {
    const view = decide({ a: { x: 100_000, y: 0 }, b: { x: 100_300, y: 200 } }, ['a', 'b']);
    expect(view).toEqual({ kind: 'frame', box: { x: 100_000, y: 0, width: 532, height: 296 } });
  });

  it('shows tasks far apart by themselves (a lens) when one readable screen holds them, at 1440×900 and 1024×700', () => {
    const apart = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, { x: i * 15_000, y: (i % 3) * 2000 }]));
    const ids = Object.keys(apart);
    expect(decide(apart, ids)).toMatchObject({ kind: 'lens', ids, whole: true });
    const narrow = decide(apart, ids, small);
    expect(narrow).toMatchObject({ kind: 'lens', ids, whole: true });
    // The grid of the lens is as wide as one readable screen of that canvas holds.
    const { columns } = readableGrid(small, CARD);
    expect(narrow.kind === 'lens' && narrow.grid.columns).toBe(columns);
    expect((columns * (CARD.width + 28) - 28) * READABLE_ZOOM).toBeLessThanOrEqual(small.width - 80);
  });

  it('shows the most urgent part when all of it is too many, and the densest part when the most urgent kind alone is', () => {
    const apart = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`t${i}`, { x: i * 15_000, y: 0 }]));
    const ids = Object.keys(apart);
    const urgent = decide(apart, ids, area, 12);
    expect(urgent.kind === 'lens' && urgent.whole).toBe(false);
    expect(urgent.kind === 'lens' && urgent.ids.slice(0, 12)).toEqual(ids.slice(0, 12));
    expect(decide(apart, ids, area, 60)).toEqual({ kind: 'densest' });
  });

  it('shows all of a graph that fits readably', () => {
    const view = decideWorkView({
      target: ['a'],
      mostUrgent: 1,
      positions: { a: { x: 0, y: 0 } },
      complete: true,
      bounds: { x: 0, y: 0, width: 900, height: 500 },
      area,
      card: CARD,
      neighbours: () => [],
      lensOf: (ids) => [...ids],
    });
    expect(view).toEqual({ kind: 'whole' });
  });
});

describe('the densest part of many', () => {
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

  it('frames a lone task of the most urgent kind over a crowd of less urgent ones (a "needs you" card was left above the view)', () => {
    // One needing a person far from six running ones, as the review's 200-task plan had them.
    const positions: Record<string, { x: number; y: number }> = { review: { x: 0, y: 0 } };
    const ids = ['review'];
    for (let i = 0; i < 6; i++) {
      positions[`run${i}`] = { x: 20_000 + (i % 3) * 300, y: Math.floor(i / 3) * 200 };
      ids.push(`run${i}`);
    }
    const weights = urgencyWeights(ids, 1);
    expect(weights.get('review')).toBeGreaterThan([...weights.values()].slice(1).reduce((sum, w) => sum + w, 0));
    const middle = densestWindow(weights, positions, CARD, { width: 1600, height: 1000 });
    expect(middle).toEqual({ x: CARD.width / 2, y: CARD.height / 2 });
    // With all of one kind, it is the crowd, as before.
    expect(densestWindow(urgencyWeights(ids, ids.length), positions, CARD, { width: 1600, height: 1000 })?.x).toBeGreaterThan(20_000);
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
