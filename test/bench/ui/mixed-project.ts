import type { Agent } from '../../../src/shared/agent';
import type { ExecutorProfile } from '../../../src/shared/config-types';
import { PRIORITY_VALUES, priorityName, type Task, type TaskStatus } from '../../../src/shared/task';
import { seededRandom } from '../../helpers/seeded-random';
import { makeAgent, makeTask } from '../../renderer/support/fixtures';

/** A project of eight product areas, each a plan of 25 tasks (200 in all). */
const AREAS = ['billing', 'login', 'search', 'reports', 'uploads', 'settings', 'notifications', 'onboarding'];
const STEPS = [
  'Design the {a} schema',
  'Write the {a} migration',
  'Add the {a} API endpoints',
  'Validate {a} input on the server',
  'Build the {a} page',
  'Wire the {a} page to the API',
  'Handle {a} errors in the UI',
  'Add {a} permissions checks',
  'Cache {a} queries',
  'Log {a} events for support',
  'Write {a} unit tests',
  'Write {a} end-to-end tests',
  'Fix the flaky {a} test',
  'Measure {a} page load time',
  'Make the {a} page keyboard friendly',
  'Translate the {a} strings',
  'Review {a} copy with design',
  'Add {a} analytics',
  'Document the {a} API',
  'Write the {a} help article',
  'Load-test the {a} endpoints',
  'Security review of {a}',
  'Feature-flag the {a} rollout',
  'Roll out {a} to 10% of users',
  'Release {a} to everyone',
];

/** The manual executor profile the needs-you tasks name (a person does them). */
export const MANUAL_EXECUTOR: ExecutorProfile = {
  name: 'manual',
  type: 'manual',
  command: null,
  args: [],
  endpoint: null,
  method: null,
  model: null,
  timeout: null,
  repo: null,
  role: null,
  builtin: false,
};

/**
 * A real-sized mixed project (200 tasks in eight areas of 25, each area's tasks depending on one
 * or two of the five before them and now and then on another area's): the first 40% or so done,
 * then a frontier of 3 running (with their agents), 3 failed (what follows them blocked), 2 that
 * need a person (manual executor), one awaiting its evaluation, one paused, one scheduled, two
 * abandoned, a few of high, critical or low priority, and the rest ready or waiting. The same call
 * gives the same project.
 */
export function mixedProject(seed = 38): { tasks: Task[]; agents: Agent[] } {
  const random = seededRandom(seed);
  const now = Date.now();
  const ago = (minutes: number) => new Date(now - minutes * 60_000).toISOString();
  const tasks: Task[] = [];
  // Interleaved by step, so each area's early work is created (and done) first, as a plan is worked.
  for (let step = 0; step < STEPS.length; step++) {
    for (const [area, name] of AREAS.entries()) {
      const id = `${name}-${step + 1}`;
      const after = new Set<string>();
      if (step > 0) {
        const wanted = 1 + Math.floor(random() * 2);
        for (let k = 0; k < wanted; k++) after.add(`${name}-${Math.max(1, step - Math.floor(random() * 5))}`);
      }
      if (step > 4 && random() < 0.12) after.add(`${AREAS[(area + 1) % AREAS.length]}-${step - 2}`);
      const priority =
        random() < 0.06 ? PRIORITY_VALUES.high : random() < 0.03 ? PRIORITY_VALUES.critical : random() < 0.05 ? PRIORITY_VALUES.low : 10;
      tasks.push(
        makeTask({
          id,
          title: (STEPS[step] as string).replace('{a}', name),
          after: [...after],
          tags: [name],
          priority: priorityName(priority),
          priority_value: priority,
          created_at: ago(60 * 24 * 7 - tasks.length * 30),
        }),
      );
    }
  }
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const set = (id: string, fields: Partial<Task>) => {
    const task = byId.get(id);
    if (task) Object.assign(task, fields);
  };
  // The first 40% done (dependencies come first, so every done task's dependencies are done).
  const doneCount = Math.floor(tasks.length * 0.4);
  for (const [index, task] of tasks.slice(0, doneCount).entries()) {
    Object.assign(task, { status: 'done' satisfies TaskStatus, started_at: ago(5000 - index * 20), completed_at: ago(4980 - index * 20) });
  }
  // The frontier: open tasks whose dependencies are all done, in creation order.
  const doneIds = new Set(tasks.slice(0, doneCount).map((task) => task.id));
  const frontier = tasks.slice(doneCount).filter((task) => task.after.every((id) => doneIds.has(id)));
  const pick = () => frontier.shift()?.id ?? '';
  const agents: Agent[] = [];
  const models = ['sonnet', 'opus', 'gpt-5-codex'];
  for (let i = 0; i < 3; i++) {
    const id = pick();
    const agent = `agent-${40 + i}`;
    set(id, { status: 'in-progress', started_at: ago(3 + i * 7), assigned: agent, model: models[i] ?? null });
    agents.push(
      makeAgent({ id: agent, task_id: id, executor: i === 2 ? 'codex' : 'claude', model: models[i] ?? null, started_at: ago(3 + i * 7) }),
    );
  }
  const reasons = [
    'exit code 1: 3 tests failed in test/billing/invoice.test.ts',
    'agent timed out after 60 min without reporting',
    'merge conflict in src/search/index.ts',
  ];
  for (const [i, reason] of reasons.entries())
    set(pick(), { status: 'failed', failure_reason: reason, started_at: ago(40 + i * 15), completed_at: ago(20 + i * 10) });
  set(pick(), { executor: 'manual' });
  set(pick(), { executor: 'manual', priority: 'high', priority_value: PRIORITY_VALUES.high });
  set(pick(), { status: 'pending-eval', started_at: ago(30), completed_at: ago(2) });
  set(pick(), { paused: true });
  set(pick(), { not_before: new Date(now + 3 * 3_600_000).toISOString() });
  // Two abandoned tasks: nothing depends on a done-and-dropped idea any more (its dependents are satisfied).
  for (const id of ['reports-9', 'uploads-10'])
    set(id, { status: 'abandoned', failure_reason: 'not needed after the redesign', completed_at: ago(600) });
  return { tasks, agents };
}
