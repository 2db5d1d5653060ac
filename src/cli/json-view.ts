import type { OpName, OpOutput } from '../shared/ops/registry';
import type { JsonValue, LogEntry } from '../shared/task';
import type { ApplyResult, FunctionDetail, ListedFunction } from '../shared/functions';
import type { CheckpointResult } from '../shared/agent-loop';
import { functionFields } from '../core/functions/function-fields';
import { repeats, upstreamCron } from '../core/graph/schedule';
import { agencyJsonView, isAgencyJsonOp } from './agency-json-view';

/*
 * What `--json` prints for tasks, in upstream's shape (its `--json` serializers, `Task`'s serde): the
 * graph.jsonl fields this app keeps without using (`skills`, `rescued`, …) at the top level where
 * upstream's scripts read them, not nested under `extra`; an empty description left out
 * (skip_serializing_if); each of `wg ready`'s items marked `"ready": true` (as upstream's `wg ready --json`);
 * and `wg show`'s `after` and `before` as upstream's `TaskDetails` has them: `[{id, status}]`, a dependency
 * not in the graph counted "open" as there. This app's `dependencies` and `required_by` (the same tasks,
 * a missing one's status null) stay beside them.
 */

type TaskLike = Record<string, unknown> & { kind: 'task'; extra: Record<string, JsonValue> };

function isTask(value: unknown): value is TaskLike {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const object = value as Record<string, unknown>;
  return object.kind === 'task' && typeof object.extra === 'object' && object.extra !== null && !Array.isArray(object.extra);
}

/**
 * Upstream's cron fields, from the task's schedule: a repeating one is `cron_enabled` with its
 * `cron_schedule` and `next_cron_fire`; none (or a one-off time) has none of them, whatever an import kept.
 */
function cronView(view: Record<string, unknown>): void {
  const schedule = view.schedule;
  if (typeof schedule === 'string' && repeats(schedule)) {
    view.cron_enabled = true;
    view.cron_schedule = upstreamCron(schedule, typeof view.not_before === 'string' ? view.not_before : null);
    if (typeof view.not_before === 'string') view.next_cron_fire = view.not_before;
    else delete view.next_cron_fire;
  } else if ('schedule' in view) {
    for (const field of ['cron_enabled', 'cron_schedule', 'next_cron_fire']) delete view[field];
  }
}

/** One task as upstream prints it; a field of this app's own (an item's `ready`, too) wins over a kept one or the mark. */
function upstreamTask(task: TaskLike, mark: Record<string, JsonValue>): Record<string, unknown> {
  // Copied key by key: the same object as `{ ...extra, ...mark, ...own }` (a later key wins, in the first one's place),
  // built about five times faster on Node 20 (a rest pattern and two spreads take V8's slow path at every task, a
  // tenth of a 1,000-task `wg list --json`).
  const view: Record<string, unknown> = {};
  for (const source of [task.extra, mark]) for (const key of Object.keys(source)) view[key] = source[key];
  for (const key of Object.keys(task)) if (key !== 'extra') view[key] = task[key as keyof TaskLike];
  if (view.description === '') delete view.description;
  cronView(view);
  return view;
}

type Link = { id: string; status: string | null };

const upstreamLinks = (links: unknown): Array<{ id: string; status: string }> =>
  Array.isArray(links) ? (links as Link[]).map((link) => ({ id: link.id, status: link.status ?? 'open' })) : [];

/** `wg func`: functions as upstream's serde prints them; `apply` with upstream's fields only. */
function funcView(name: OpName, result: unknown): unknown {
  if (name === 'func:show') return functionFields((result as FunctionDetail).function);
  if (name === 'func:list') return (result as ListedFunction[]).map(({ source, ...f }) => ({ ...functionFields(f), source }));
  const { tasks: _tasks, ...fields } = result as ApplyResult;
  return fields;
}

/**
 * `wg kill AGENT --json`: upstream's `killed` is the agent's id (its kill `run`), where this result's `killed` lists the
 * run's record (as --all's and --tree's do); the record stays, as `killed_runs`. `--all`'s `killed` already is
 * upstream's kind: a list of runs, each with upstream's id, pid and task_id.
 */
function killView(result: OpOutput<'agent:kill'>): unknown {
  if (!('task_id' in result)) return result;
  return { ...result, killed: result.killed[0]?.id ?? null, killed_runs: result.killed };
}

export function jsonView(name: OpName, result: unknown): unknown {
  if (name === 'func:show' || name === 'func:list' || name === 'func:apply') return funcView(name, result);
  if (isAgencyJsonOp(name)) return agencyJsonView(name, result);
  if (name === 'agent:kill') return killView(result as OpOutput<'agent:kill'>);
  // `wg checkpoint --json`: the checkpoint saved (upstream's Checkpoint), or with --list the list.
  if (name === 'task:checkpoint')
    return 'saved' in (result as CheckpointResult)
      ? (result as { saved: unknown }).saved
      : (result as { checkpoints: unknown }).checkpoints;
  if (name === 'guide:quickstart') return (result as { sections: unknown }).sections;
  // `wg match --json`: the matches, as upstream prints them (the task and its skills head the lines for people).
  if (name === 'task:match') return (result as OpOutput<'task:match'>).matches;
  // `wg retry --json`: the task; what it says for people (where it came from, the run it ended) is not a field of it.
  if (name === 'task:retry' && typeof result === 'object' && result !== null && 'retried_from' in result) {
    const { retried_from: _from, ended_run: _run, ...task } = result as { retried_from: unknown; ended_run: unknown };
    return jsonView(name, task);
  }
  // `wg done --json`: the task; the evaluation it waits for is said for people.
  if (name === 'task:done' && typeof result === 'object' && result !== null && 'awaiting' in result) {
    const { awaiting: _awaiting, ...task } = result as { awaiting: unknown };
    return jsonView(name, task);
  }
  // `wg edit --json`: the task; the lines it says for people are not one of its fields.
  if (name === 'task:edit' && typeof result === 'object' && result !== null && 'lines' in result) {
    const { lines: _lines, ...task } = result as { lines: unknown };
    return jsonView(name, task);
  }
  // `wg archive --list --json`: the archived tasks, as upstream prints them (the other answers have no upstream JSON).
  if (
    name === 'graph:archive' &&
    typeof result === 'object' &&
    result !== null &&
    'kind' in result &&
    result.kind === 'list' &&
    'tasks' in result
  )
    return result.tasks;
  // `wg log ID --list --json`: the entries, as upstream prints them (the title is for people).
  if (name === 'task:log' && typeof result === 'object' && result !== null && !('kind' in result) && 'log' in result) return result.log;
  const mark: Record<string, JsonValue> = name === 'task:ready' ? { ready: true } : {};
  if (Array.isArray(result)) return result.map((item) => (isTask(item) ? upstreamTask(item, mark) : item));
  if (!isTask(result)) return result;
  const view = upstreamTask(result, mark);
  if (name !== 'task:show') return view;
  // Upstream reads a task from before it kept last_interaction_at as last touched when it was created.
  const lastInteraction = view.last_interaction_at ?? view.created_at;
  return {
    ...view,
    ...estimateFields(view.estimate),
    last_interaction_at: lastInteraction,
    log: Array.isArray(view.log) ? (view.log as LogEntry[]).map(withoutEmptyActor) : view.log,
    after: upstreamLinks(view.dependencies),
    before: upstreamLinks(view.required_by),
  };
}

/** Upstream's `wg show --json` gives a task's estimate as `hours` and `cost` of its own (its TaskDetails). */
function estimateFields(estimate: unknown): { hours?: number; cost?: number } {
  if (typeof estimate !== 'object' || estimate === null) return {};
  const { hours, cost } = estimate as { hours?: unknown; cost?: unknown };
  return { ...(typeof hours === 'number' ? { hours } : {}), ...(typeof cost === 'number' ? { cost } : {}) };
}

/** A log entry with no actor has none in upstream's JSON (its `actor` is skipped when None), not an empty one. */
function withoutEmptyActor(entry: LogEntry): Partial<LogEntry> {
  if (entry.actor !== '') return entry;
  const { actor: _none, ...rest } = entry;
  return rest;
}
