import type { RunEvent } from '../../../src/shared/run-event';
import type { Task, TaskStatus } from '../../../src/shared/task';
import { makeTask } from '../../renderer/support/fixtures';
import { seededRandom } from '../../helpers/seeded-random';

export const GROUP = 50;

/**
 * Groups of 50 tasks: inside a group a tree with some extra links, every 4 groups chained (so
 * components of 200). In each group tasks 0-9 are done, 10-13 running, the rest waiting or ready.
 */
export function bigGraph(count: number): Task[] {
  const tasks: Task[] = [];
  const started = new Date(Date.now() - 90_000).toISOString();
  for (let i = 0; i < count; i++) {
    const group = Math.floor(i / GROUP);
    const k = i % GROUP;
    const after: string[] = [];
    if (k === 0 && group % 4 !== 0) after.push(`t${i - 1}`);
    if (k > 0) after.push(`t${group * GROUP + Math.floor((k - 1) / 2)}`);
    if (k > 3 && k % 7 === 0) after.push(`t${i - 3}`);
    const status: TaskStatus = k < 10 ? 'done' : k < 14 ? 'in-progress' : 'open';
    tasks.push(
      makeTask({
        id: `t${i}`,
        title: `Task ${i} of group ${group}`,
        after,
        status,
        tags: [`group-${group}`],
        started_at: status === 'in-progress' ? started : null,
      }),
    );
  }
  return tasks;
}

/**
 * New dependencies that close no loop. `in order`: task 30 of a group on task 3, which is already
 * left of it (the usual link). `moving`: task 40 on task 30, in the same column, so task 40 has to
 * move right and its component is laid out again.
 */
export function newDependency(group: number, kind: 'in order' | 'moving'): { task: string; dependency: string } {
  const base = group * GROUP;
  return kind === 'in order'
    ? { task: `t${base + 30}`, dependency: `t${base + 3}` }
    : { task: `t${base + 40}`, dependency: `t${base + 30}` };
}

/** A plausible agent run: text, thinking, tool calls with results, now and then a final result. */
export function eventAt(i: number): RunEvent {
  switch (i % 6) {
    case 0:
      return { type: 'text', text: `Step ${i}: reading the next file and checking the tests.` };
    case 1:
      return { type: 'thinking', text: `I should look at module ${i % 97} before changing it.\nThen run the tests.` };
    case 2:
      return { type: 'tool_use', id: `tu${i}`, name: 'Bash', input: { command: `npm test -- --grep case-${i}` } };
    case 3:
      return { type: 'tool_result', tool_use_id: `tu${i - 1}`, output: `ok ${i}\n\u001b[32m1 passing\u001b[39m`, is_error: false };
    case 4:
      return { type: 'text', text: `Tests for case ${i} pass.` };
    default:
      return {
        type: 'result',
        is_error: false,
        text: `checkpoint ${i}`,
        cost_usd: i / 1e6,
        tokens_in: i,
        tokens_out: i / 10,
        turns: i % 50,
      };
  }
}

/**
 * One connected DAG shaped like a real imported plan: each task depends on one to three of the
 * 100 before it (so every task is joined to the first), the oldest 40% done, then a frontier
 * (running, failed, ready: every 50th-ish task) and the rest open. The same count gives the same
 * graph. Unlike `bigGraph` (many components of 200), the whole graph is one component.
 */
export function connectedDag(count: number, seed = 29): Task[] {
  const random = seededRandom(seed);
  const started = new Date(Date.now() - 90_000).toISOString();
  const doneUpTo = Math.floor(count * 0.4);
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    const window = Math.min(i, 100);
    const deps = new Set<string>();
    const wanted = window === 0 ? 0 : 1 + Math.floor(random() * 3);
    for (let k = 0; k < wanted; k++) deps.add(`t${i - 1 - Math.floor(random() * window)}`);
    const frontier = i >= doneUpTo && i < doneUpTo + 60;
    const status: TaskStatus =
      i < doneUpTo ? 'done' : frontier && i % 6 === 0 ? 'in-progress' : frontier && i % 15 === 1 ? 'failed' : 'open';
    tasks.push(
      makeTask({
        id: `t${i}`,
        title: `Task ${i}: ${PLAN_WORDS[i % PLAN_WORDS.length]}`,
        after: [...deps],
        status,
        tags: [`area-${Math.floor(i / 500)}`],
        started_at: status === 'in-progress' ? started : null,
      }),
    );
  }
  return tasks;
}

const PLAN_WORDS = [
  'write the schema migration',
  'add the login form',
  'wire the API client',
  'test the checkout flow',
  'document the settings',
  'review the error pages',
  'fix the flaky upload test',
  'measure the start-up time',
];

/**
 * Three new dependencies in the middle of the plan's frontier whose dependent must move right (its
 * new dependency is later in the plan, in its column or right of it), none closing a loop.
 */
export function movingEdits(tasks: readonly Task[], count: number): Array<{ task: string; dependency: string }> {
  const dependents = new Map<string, string[]>();
  for (const task of tasks) for (const before of task.after) dependents.set(before, [...(dependents.get(before) ?? []), task.id]);
  const after = (id: string) => {
    const seen = new Set<string>();
    const queue = [id];
    for (let head = 0; head < queue.length; head++) {
      for (const next of dependents.get(queue[head] as string) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    return seen;
  };
  const edits: Array<{ task: string; dependency: string }> = [];
  for (const offset of [3, 13, 23]) {
    const index = Math.floor(count * 0.4) + offset;
    const downstream = after(`t${index}`);
    for (let other = index + 1; other < Math.min(count, index + 50); other++) {
      if (downstream.has(`t${other}`)) continue;
      edits.push({ task: `t${index}`, dependency: `t${other}` });
      break;
    }
  }
  return edits;
}
