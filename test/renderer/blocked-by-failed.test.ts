import { describe, expect, it } from 'vitest';
import { failedUpstream } from '../../src/shared/task-hold';
import type { Task } from '../../src/shared/task';
import { blockedByFailed } from '../../src/renderer/task-state/blocked-by-failed';
import { countByKind, TaskStates, type StateContext } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';

const graph = (tasks: Task[]) => new Map(tasks.map((task) => [task.id, task]));

describe('blocked by a failed task: its own state, counted apart from waiting', () => {
  const tasks = graph([
    makeTask({ id: 'root', status: 'done' }),
    makeTask({ id: 'broke', status: 'failed', after: ['root'] }),
    makeTask({ id: 'next', after: ['broke'] }),
    makeTask({ id: 'then', after: ['next', 'running'] }),
    makeTask({ id: 'running', status: 'in-progress' }),
    makeTask({ id: 'free', after: ['running'] }),
    makeTask({ id: 'retried', status: 'incomplete', after: ['broke'] }),
    makeTask({ id: 'held', paused: true, after: ['broke'] }),
    makeTask({ id: 'marked', status: 'blocked', after: ['broke'] }),
  ]);
  const roots = failedUpstream(tasks.values(), tasks);
  const rule = (id: string) => blockedByFailed(tasks.get(id) as Task, roots);

  it('names the failed task for a task after it, directly or through tasks it holds', () => {
    expect(rule('next')).toBe('broke');
    expect(rule('then')).toBe('broke');
    expect(rule('retried')).toBe('broke');
  });

  it('is not blocked while what it waits on can still finish, nor when a person holds it or marked it', () => {
    expect(rule('free')).toBeNull();
    expect(rule('held')).toBeNull();
    expect(rule('marked')).toBeNull();
    expect(rule('broke')).toBeNull();
    expect(rule('running')).toBeNull();
  });

  it('is the state the window shows and counts: blocked, not waiting', () => {
    const context: StateContext = {
      tasks,
      manualExecutors: new Set(),
      defaultIsManual: false,
      coordinatorIdle: false,
      now: Date.parse('2025-06-02T08:00:00Z'),
    };
    const states = new TaskStates().compute(context);
    expect(states.get('next')).toEqual({ kind: 'blocked', text: 'blocked by failed broke' });
    expect(states.get('free')?.kind).toBe('waiting');
    // The failure others wait on is the person's to move on (shared/needs-you.ts): counted under needs you, not failed.
    expect(countByKind(states)).toMatchObject({ blocked: 3, waiting: 2, failed: 0, 'needs-you': 1, paused: 1 });
  });
});
