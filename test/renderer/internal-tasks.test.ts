import { describe, expect, it } from 'vitest';
import { isInternalTask, type Task } from '../../src/shared/task';
import { searchTasks } from '../../src/renderer/graph/graph-filter';
import { hiddenInternal, hiddenKey, internalTaskIds } from '../../src/renderer/graph/internal-tasks';
import { KeptWorkTarget, stateTarget } from '../../src/renderer/graph/view/work-set';
import { countByKind, type TaskState } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';
import { stateOf } from './support/task-states';

/** A task with upstream's system tasks around it, as an import brings them. */
const imported: Task[] = [
  makeTask({ id: '.assign-api', title: 'Assign agent for api', status: 'done' }),
  makeTask({ id: 'api', title: 'Build the API', after: ['.assign-api'], status: 'done' }),
  makeTask({ id: '.flip-api', title: 'FLIP check of api', after: ['api'], status: 'done' }),
  makeTask({ id: '.evaluate-api', title: 'Evaluate api', after: ['.flip-api'], status: 'in-progress' }),
  makeTask({ id: '.merge-ui', title: 'Merge ui', status: 'open' }),
  makeTask({ id: '.evaluate-ui', title: 'Evaluate ui', status: 'failed' }),
  makeTask({ id: '.coordinator-1', title: 'Coordinator', tags: ['coordinator-loop'], status: 'in-progress' }),
];
const tasks = new Map(imported.map((task) => [task.id, task]));
const states = new Map<string, TaskState>([
  ['.assign-api', stateOf('done')],
  ['api', stateOf('evaluating')],
  ['.flip-api', stateOf('done')],
  ['.evaluate-api', stateOf('running')],
  ['.merge-ui', stateOf('needs-you')],
  ['.evaluate-ui', stateOf('failed')],
  ['.coordinator-1', stateOf('running')],
]);

describe("upstream's system tasks, folded away in the window", () => {
  it('are the dot-named tasks but the coordinator and chat ones (upstream exempts them by tag)', () => {
    expect(imported.filter(isInternalTask).map((task) => task.id)).toEqual([
      '.assign-api',
      '.flip-api',
      '.evaluate-api',
      '.merge-ui',
      '.evaluate-ui',
    ]);
    expect(internalTaskIds([makeTask({ id: 'api', title: 'Build the API' })]).size).toBe(0);
  });

  it('are hidden but those a person must act on (failed, needing them); none when asked for', () => {
    const internal = internalTaskIds(imported);
    const hidden = hiddenInternal(internal, states, false);
    expect([...hidden]).toEqual(['.assign-api', '.flip-api', '.evaluate-api']);
    expect(hiddenInternal(internal, states, true).size).toBe(0);
    // The same set while the same tasks are hidden (the layout is keyed on it), a new one when that changes.
    const moved = new Map(states).set('.flip-api', stateOf('running'));
    expect(hiddenInternal(internal, moved, false, hidden)).toBe(hidden);
    const failed = new Map(states).set('.flip-api', stateOf('failed'));
    const fewer = hiddenInternal(internal, failed, false, hidden);
    expect([...fewer]).toEqual(['.assign-api', '.evaluate-api']);
    expect(hiddenKey(fewer)).not.toBe(hiddenKey(hidden));
    expect(hiddenKey(new Set())).toBe('');
  });

  it('are left out of the counts, the chips’ targets, the work and search', () => {
    const hidden = hiddenInternal(internalTaskIds(imported), states, false);
    const counts = countByKind(states, hidden);
    expect(counts.running).toBe(1);
    expect(counts.evaluating).toBe(1);
    expect(counts.done).toBe(0);
    expect(countByKind(states).running).toBe(2);
    expect(stateTarget(states, 'running', hidden).ids).toEqual(['.coordinator-1']);
    const work = new KeptWorkTarget().update(tasks, states, Date.now(), hidden);
    // Most urgent first: the merge waiting for a person, the failed evaluation, what runs, what is being evaluated.
    expect(work?.ids).toEqual(['.merge-ui', '.evaluate-ui', '.coordinator-1', 'api']);
    expect(searchTasks(tasks.values(), 'evaluate', 10, hidden).matches.map((task) => task.id)).toEqual(['.evaluate-ui']);
    expect(searchTasks(tasks.values(), 'evaluate', 10).total).toBe(2);
  });

  it('come back into the work when shown again (the target read from nothing)', () => {
    const kept = new KeptWorkTarget();
    const hidden = hiddenInternal(internalTaskIds(imported), states, false);
    expect(kept.update(tasks, states, Date.now(), hidden)?.ids).not.toContain('.evaluate-api');
    expect(kept.update(tasks, states, Date.now(), new Set())?.ids).toContain('.evaluate-api');
  });
});
