import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, type Task } from '../../src/shared/task';
import { KeptWorkTarget, workTarget } from '../../src/renderer/graph/view/work-set';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { TaskStates } from '../../src/renderer/task-state/task-state';
import { seededRandom } from '../helpers/seeded-random';
import { makeTask } from './support/fixtures';

const MINUTE = 60_000;
/** The same setting each time (a new one would have every state looked at again). */
const MANUAL = new Set<string>();

describe('the work target kept from one graph to the next', () => {
  it.each([1, 2, 3, 4, 5])('equals the target read from nothing after every change of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    let now = Date.parse('2026-01-01T12:00:00Z');
    const store = new GraphStore();
    const ids = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? `.flip-t${i}` : `t${i}`));
    store.apply(
      {
        rev: 1,
        tasks: ids.map((id, i) => makeTask({ id, after: i > 0 && pick() < 0.2 ? [ids[Math.floor(pick() * i)] as string] : [] })),
        agents: [],
      },
      true,
    );
    const states = new TaskStates();
    const kept = new KeptWorkTarget();
    const stateOf = (tasks: ReadonlyMap<string, Task>) =>
      states.compute({ tasks, manualExecutors: MANUAL, defaultIsManual: false, coordinatorIdle: false, now });
    let urgent = 0;
    for (let step = 2; step < 300; step++) {
      const tasks = store.getState().tasks;
      const all = [...tasks.keys()];
      const roll = pick();
      now += Math.floor(pick() * 4 * MINUTE);
      if (roll < 0.05)
        store.apply({ rev: step, tasks: [...tasks.values()].filter(() => pick() < 0.95).map((task) => ({ ...task })), agents: [] }, true);
      else if (roll < 0.1) store.apply({ rev: step, tasks: [makeTask({ id: `n${step}`, after: [all[0] as string] })], agents: [] }, false);
      // Only time passes: what finished a while ago is no longer just finished.
      else if (roll < 0.3) now += 5 * MINUTE;
      else {
        const task = tasks.get(all[Math.floor(pick() * all.length)] as string) as Task;
        const status = TASK_STATUSES[Math.floor(pick() * TASK_STATUSES.length)] as Task['status'];
        const completed_at = status === 'done' ? new Date(now - Math.floor(pick() * 30 * MINUTE)).toISOString() : null;
        store.apply({ rev: step, tasks: [{ ...task, status, completed_at }], agents: [] }, false);
      }
      if (pick() < 0.3) continue;
      const graph = store.getState().tasks;
      const target = kept.update(graph, stateOf(graph), now);
      expect(target, `step ${step}`).toEqual(workTarget(graph, stateOf(graph), now));
      if (target?.about === 'the work') urgent++;
    }
    expect(urgent).toBeGreaterThan(50);
  });
});
