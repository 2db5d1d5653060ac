import { describe, expect, it } from 'vitest';
import { followedLens, lensFilter, NO_FILTER, widenedFor, type GraphFilter } from '../../src/renderer/graph/graph-filter';
import { FINISHED_IN_WORK, READY_IN_WORK, workTarget } from '../../src/renderer/graph/view/work-set';
import type { TaskState } from '../../src/renderer/task-state/task-state';
import type { Task } from '../../src/shared/task';
import { makeTask } from './support/fixtures';

const state = (kind: TaskState['kind']): TaskState => ({ kind, text: kind });
const byId = (tasks: Task[]) => new Map(tasks.map((task) => [task.id, task]));

describe('the work holds the next ready tasks (the Work button says "running, needs you, failed, ready")', () => {
  const now = Date.parse('2026-03-02T08:00:00Z');
  // One of each kind a person acts on, and twelve ready: two of them of high priority, late in the plan.
  const ready = Array.from({ length: 12 }, (_, i) =>
    makeTask({ id: `ready-${i}`, priority_value: i === 9 || i === 11 ? 50 : 10, priority: i === 9 || i === 11 ? 'high' : 'normal' }),
  );
  const tasks = byId([
    makeTask({ id: 'run', status: 'in-progress' }),
    makeTask({ id: 'broke', status: 'failed' }),
    makeTask({ id: 'person' }),
    ...ready,
  ]);
  const states = new Map<string, TaskState>([
    ['run', state('running')],
    ['broke', state('failed')],
    ['person', state('needs-you')],
    ...ready.map((task) => [task.id, state('ready')] as const),
  ]);

  it('puts them after what needs a person, failed or runs: the next few by priority, then age, not only when nothing else is', () => {
    const target = workTarget(tasks, states, now);
    expect(target?.ids.slice(0, 3)).toEqual(['person', 'broke', 'run']);
    expect(target?.ids.slice(3)).toEqual(['ready-9', 'ready-11', 'ready-0', 'ready-1', 'ready-2', 'ready-3', 'ready-4', 'ready-5']);
    expect(target?.ids).toHaveLength(3 + READY_IN_WORK);
    // The first view waits for what a person acts on to be laid out, not for the ready tasks after it.
    expect(target).toMatchObject({ about: 'the work', mostUrgent: 1, acting: 3 });
  });

  it('is every ready task when nothing else is going on (framed where most of them are, when more than a screen holds)', () => {
    const calm = new Map([...states].filter(([, s]) => s.kind === 'ready'));
    const target = workTarget(tasks, calm, now);
    expect(target?.ids).toEqual(ready.map((task) => task.id));
    expect(target?.about).toBe('what is ready next');
  });

  it('is made within the person’s own filter (a tag, finished work hidden)', () => {
    const within = new Set(['broke', 'ready-3', 'ready-4']);
    expect(workTarget(tasks, states, now, within)?.ids).toEqual(['broke', 'ready-3', 'ready-4']);
  });
});

describe('after a burst of finished work (70 done in a quarter hour)', () => {
  const now = Date.parse('2026-03-02T08:00:00Z');
  const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  // Created in plan order, finished in the reverse: the last created finished first.
  const finished = Array.from({ length: 30 }, (_, i) => makeTask({ id: `done-${i}`, status: 'done', completed_at: minutesAgo(i / 3) }));
  const ready = Array.from({ length: 10 }, (_, i) => makeTask({ id: `ready-${i}` }));
  const tasks = byId([makeTask({ id: 'broke', status: 'failed' }), ...finished, ...ready]);
  const states = new Map<string, TaskState>([
    ['broke', state('failed')],
    ...finished.map((task) => [task.id, state('done')] as const),
    ...ready.map((task) => [task.id, state('ready')] as const),
  ]);

  it('holds the few finished last, the latest first, and still the ready tasks that start next', () => {
    const target = workTarget(tasks, states, now);
    expect(target?.ids).toEqual([
      'broke',
      ...Array.from({ length: FINISHED_IN_WORK }, (_, i) => `done-${i}`),
      ...Array.from({ length: READY_IN_WORK }, (_, i) => `ready-${i}`),
    ]);
    expect(target).toMatchObject({ mostUrgent: 1, acting: 1 + FINISHED_IN_WORK });
  });
});

describe('a lens within the person’s own filter', () => {
  const request = { ids: ['a', 'b'], about: 'the work', of: 'work', gridColumns: 4 };
  const picked: GraphFilter = { states: new Set(['ready']), tag: 'billing', hideFinished: true, focus: { id: 'x', steps: 2 } };

  it('keeps the tag, the states and Hide finished they chose (switching to the graph or W must not undo them); a focus gives way', () => {
    const filter = lensFilter(request, picked);
    expect(filter.tag).toBe('billing');
    expect(filter.hideFinished).toBe(true);
    expect([...filter.states]).toEqual(['ready']);
    expect(filter.focus ?? null).toBeNull();
    expect(filter.lens?.ids).toEqual(['a', 'b']);
  });

  it('follows its tasks under the same key (laid out in place, not fitted again); another framing’s lens is left alone', () => {
    const shown = lensFilter(request, NO_FILTER);
    const followed = followedLens(shown, 'work', ['a', 'c', 'd'], 'the work');
    expect(followed.lens?.ids).toEqual(['a', 'c', 'd']);
    expect(followed.lens?.key).toBe(shown.lens?.key);
    expect(followedLens(shown, 'work', ['b', 'a'], 'the work')).toBe(shown);
    expect(followedLens(shown, 'failed', ['c'], 'failed tasks')).toBe(shown);
  });
});

describe('showing a task the view leaves out', () => {
  const tasks = byId([
    makeTask({ id: 'a', tags: ['billing'] }),
    makeTask({ id: 'b', tags: ['billing'], after: ['a'] }),
    makeTask({ id: 'old', tags: ['login'], status: 'done' }),
  ]);
  const lensed = lensFilter({ ids: ['b'], about: 'the work', of: 'work', gridColumns: 4 }, { states: new Set(), tag: 'billing' });

  it('widens the filter just enough: a lens that leaves it out gives way, the person’s own choices stay while they show it', () => {
    const widened = widenedFor(lensed, 'a', tasks, state('ready'));
    expect(widened.lens ?? null).toBeNull();
    expect(widened.tag).toBe('billing');
    expect(widenedFor(lensed, 'b', tasks, state('waiting'))).toBe(lensed);
  });

  it('lets go of exactly what hides it: a tag, finished work hidden, a focus elsewhere', () => {
    const filter: GraphFilter = { states: new Set(), tag: 'billing', hideFinished: true, focus: { id: 'a', steps: 1 } };
    const widened = widenedFor(filter, 'old', tasks, state('done'));
    expect(widened).toMatchObject({ tag: '', hideFinished: false, focus: null });
    expect(widenedFor(filter, 'b', tasks, state('waiting'))).toBe(filter);
  });
});

describe('a lens of the work on one readable screen', () => {
  const area = { width: 1272, height: 829, coveredRight: 0 };
  const card = { width: 232, height: 96 };
  // Each task has two neighbours (n-<id>-1, n-<id>-2): context a lens adds as room allows.
  const lensOf = (target: readonly string[], room: number) => {
    const ids = [...target];
    for (let round = 1; round <= 2; round++) for (const id of target) if (ids.length < room) ids.push(`n-${id}-${round}`);
    return ids;
  };
  const work = ['failed-1', 'failed-2', 'run-1', 'ready-1', 'ready-2', 'ready-3'];

  it('holds the ready tasks before any neighbour, and gives up neighbours first, then ready tasks, when it comes out too big', async () => {
    const { lensFor } = await import('../../src/renderer/graph/view/work-view');
    const roomy = lensFor(work, 2, area, card, lensOf, undefined, 3);
    expect(roomy?.ids.slice(0, 6)).toEqual(work);
    expect(roomy?.ids.length).toBeGreaterThan(6);
    expect(lensFor(work, 2, area, card, lensOf, 6, 3)?.ids).toEqual(work);
    // Smaller still: the last ready tasks go; what a person acts on stays, and the lens still says "the work".
    const tight = lensFor(work, 2, area, card, lensOf, 4, 3);
    expect(tight?.ids).toEqual(['failed-1', 'failed-2', 'run-1', 'ready-1']);
    expect(tight?.whole).toBe(true);
    expect(lensFor(work, 2, area, card, lensOf, 1, 3)?.ids).toEqual(['failed-1', 'failed-2', 'run-1']);
  });
});
