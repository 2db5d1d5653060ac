import { AWAITING_EVALUATION, PRIORITY_VALUES, type Task } from '../../shared/task';
import { loadSettings } from '../config/settings';
import { gateSettings } from '../store/agency/gate-rules';
import { settleEvaluation } from '../agency/evaluation/settle-evaluation';
import { TaskFlow } from '../store/task-flow';
import { parkTask } from '../waiting/wait-writes';
import type { Handlers } from './context';
import { opConfig } from './op-config';
import { reporterOf } from './task-handlers';
import { retryBudget } from '../../shared/retry-budget';

/** A priority as a person says it: its level's name, or its number where it is none of them. */
const priorityWord = (task: Task) => (PRIORITY_VALUES[task.priority] === task.priority_value ? task.priority : String(task.priority_value));

type FlowOps =
  | 'task:reschedule'
  | 'task:reprioritize'
  | 'task:resume'
  | 'task:approve'
  | 'task:reject'
  | 'task:requeue'
  | 'task:reclaim'
  | 'task:incomplete'
  | 'task:wait';

export const flowHandlers: Handlers<FlowOps> = {
  // Upstream's `wg reschedule` (its cases: test_reschedule_after_hours, _at_timestamp, _clear): not_before set, or cleared.
  'task:reschedule': async ({ id, after, at }, { store, actor }) => {
    const notBefore = after !== undefined ? new Date(store.core.clock().getTime() + after * 3_600_000).toISOString() : (at ?? null);
    return store.tasks.edit(id, { notBefore }, {}, actor);
  },
  // Upstream's `wg reprioritize`: the same level again changes nothing (and says so).
  'task:reprioritize': async ({ id, priority }, { store, actor }) => {
    const before = await store.get(id);
    const changed = before.priority_value !== priority;
    const task = changed ? await store.tasks.edit(id, { priority }, {}, actor) : before;
    return { task, before: priorityWord(before), after: priorityWord(task), changed };
  },
  'task:resume': ({ id, only }, { store, actor }) => new TaskFlow(store.core).resume(id, only === true, actor),
  'task:approve': async ({ id }, { store, paths, actor }) => {
    // This app's evaluation gate holds a pending-eval task's work (its worktree) until a passing
    // score: an approval settles it as one (a manual score of 1), so the work is merged as a pass would.
    // failed-pending-eval waits for its rescue evaluation: the same passing score rescues it to done.
    if (AWAITING_EVALUATION.includes((await store.get(id)).status)) {
      return settleEvaluation(
        { store, paths },
        id,
        {
          score: 1,
          dimensions: {},
          notes: `approved by ${actor} (wg approve)`,
          evaluator: actor,
          source: 'manual',
        },
        actor,
        gateSettings((await loadSettings(paths)).settings),
      );
    }
    return new TaskFlow(store.core).approve(id, actor);
  },
  'task:reject': ({ id, reason }, { store, actor }) => new TaskFlow(store.core).reject(id, reason, actor),
  'task:requeue': ({ id, reason }, ctx) => new TaskFlow(ctx.store.core).requeue(id, reason, ctx.actor, reporterOf(ctx)),
  'task:incomplete': async ({ id, reason }, ctx) => {
    // Upstream's no-op (`wg incomplete`): an incomplete task stays as it is, and the output says so.
    const already = await ctx.store.get(id);
    if (already.status === 'incomplete') return { ...already, already_incomplete: true as const };
    // Config that cannot be read: loadSettings says why (the retry delay has no default to fall back on here).
    const settings = (await opConfig(ctx)).settings ?? (await loadSettings(ctx.paths)).settings;
    const project = settings.agent.max_retries;
    const budget = { maxRetries: project, delaySeconds: settings.coordinator.incomplete_retry_delay };
    const task = await new TaskFlow(ctx.store.core).incomplete(id, reason, ctx.actor, reporterOf(ctx), budget);
    return { ...task, retry_limit: retryBudget(task.max_retries, project) };
  },
  'task:wait': (input, ctx) => parkTask(ctx.store.core, input, ctx.actor, reporterOf(ctx), ctx.paths.root),
  'task:reclaim': ({ id, from, to }, { store, actor }) => new TaskFlow(store.core).reclaim(id, from, to, actor),
};
