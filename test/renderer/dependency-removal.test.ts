import { describe, expect, it } from 'vitest';
import { startsOnRemoval } from '../../src/renderer/graph/dependency-removal';
import type { Task } from '../../src/shared/task';
import { makeTask } from './support/fixtures';

/*
 * Delete on the edge dump → deploy lets the coordinator start deploy within two seconds, and an Undo then would put
 * the dependency back under a running deploy. Such a removal asks first; any other is undone.
 */
const running = { running: true, paused: false };
const plan = (deploy: Partial<Task> = {}, others: Task[] = []) =>
  new Map(
    [
      makeTask({ id: 'dump', status: 'in-progress' }),
      makeTask({ id: 'build', status: 'done' }),
      makeTask({ id: 'deploy', after: ['dump', 'build'], ...deploy }),
      ...others,
    ].map((task) => [task.id, task]),
  );
const link = { source: 'dump', target: 'deploy' };

describe('a dependency whose removal starts its task at once', () => {
  it('is the last unfinished one of an open task, with the coordinator running', () => {
    expect(startsOnRemoval(link, plan(), running)).toBe(true);
  });

  it('is not one whose task waits for something else still, or is held, or whose coordinator starts nothing', () => {
    const waiting = makeTask({ id: 'tests', status: 'open' });
    expect(startsOnRemoval(link, plan({ after: ['dump', 'build', 'tests'] }, [waiting]), running)).toBe(false);
    expect(startsOnRemoval(link, plan({ paused: true }), running)).toBe(false);
    expect(startsOnRemoval(link, plan({ status: 'done' }), running)).toBe(false);
    expect(startsOnRemoval(link, plan({ not_before: new Date(Date.now() + 3_600_000).toISOString() }), running)).toBe(false);
    expect(startsOnRemoval(link, plan(), { running: true, paused: true })).toBe(false);
    expect(startsOnRemoval(link, plan(), { running: false, paused: false })).toBe(false);
    expect(startsOnRemoval(link, plan(), null)).toBe(false);
  });

  it('is not one already done: the task was free to start before', () => {
    const tasks = plan();
    tasks.set('dump', makeTask({ id: 'dump', status: 'done' }));
    expect(startsOnRemoval(link, tasks, running)).toBe(false);
  });
});
