import { PRIORITY_VALUES, type JsonValue, type LogEntry, type Task } from '../../shared/task';
import { isOneOff, upstreamCron } from '../graph/schedule';
import { totalsFromTokenUsage } from './jsonl-format';
import type { StoreCore } from './store-core';
import { dependentsByTask, listTasks } from './task-reads';

/*
 * `wg export` writes this app's JSONL (every field of the task model, upstream's fields kept from an
 * import spread back onto the line); `wg export --upstream` writes what upstream workgraph reads:
 * its field names, numeric priorities, its optional fields left out when empty (as serde skips them).
 */

type Line = Record<string, JsonValue>;

/** The task as this app's own JSONL has it: every field of its model (`wg export`), read back whole by the import. */
export function ownLine(task: Task): Line {
  // The worktree is where a run worked (its own table), not part of the graph another project imports.
  // Its loops are marked again by the import that reads it back (store/import-export.ts), from its dependencies.
  const { rev: _rev, extra, log, worktree: _worktree, loop_back: _loopBack, ...fields } = task;
  return { ...extra, ...(fields as unknown as Line), log: log.map(logLine) };
}

function logLine(entry: LogEntry): Line {
  const out: Line = { timestamp: entry.timestamp };
  if (entry.actor !== '') out.actor = entry.actor;
  if (entry.user) out.user = entry.user;
  out.message = entry.message;
  return out;
}

/** Sets `key` only when the value says something (upstream's `skip_serializing_if`). */
function put(line: Line, key: string, value: JsonValue | undefined): void {
  if (value === undefined || value === null || value === '' || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  line[key] = value;
}

/**
 * The token usage upstream keeps: as imported while this app's totals still match it; with this app's runs added to
 * it once they ran (its cache counters kept as they were: this app's runs count cached tokens as input); else from
 * the totals alone.
 */
function tokenUsage(task: Task): JsonValue | undefined {
  const imported = task.extra.token_usage;
  const totals = totalsFromTokenUsage(imported);
  if (totals && totals.cost_usd === task.cost_usd && totals.tokens_in === task.tokens_in && totals.tokens_out === task.tokens_out)
    return imported;
  if (task.cost_usd === 0 && task.tokens_in === 0 && task.tokens_out === 0) return imported;
  const usage: Line = totals && isRecord(imported) ? { ...imported } : {};
  const added = (key: string, value: number, base: number) => {
    const current = usage[key];
    delete usage[key];
    put(usage, key, (typeof current === 'number' ? current : 0) + (value - base) || undefined);
  };
  added('cost_usd', task.cost_usd, totals?.cost_usd ?? 0);
  added('input_tokens', task.tokens_in, totals?.tokens_in ?? 0);
  added('output_tokens', task.tokens_out, totals?.tokens_out ?? 0);
  return usage;
}

const isRecord = (value: JsonValue | undefined): value is Record<string, JsonValue> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Upstream's cron fields, which `wg edit --cron ""` clears together (its cron_enabled false is left out). */
const CRON_FIELDS = ['cron_enabled', 'cron_schedule', 'next_cron_fire', 'last_cron_fire'];

/**
 * A repeating schedule is upstream's cron (`09:00` local as its time in UTC); a one-off time is only `not_before`.
 * An imported cron whose schedule was cleared here loses its cron fields, as upstream's clear does.
 */
function cronFields(task: Task, line: Line): void {
  if (!task.schedule || isOneOff(task.schedule)) {
    if (line.cron_enabled === true) for (const field of CRON_FIELDS) delete line[field];
    return;
  }
  line.cron_schedule = upstreamCron(task.schedule, task.not_before);
  line.cron_enabled = true;
  if (task.not_before) line.next_cron_fire = task.not_before;
}

/**
 * The task as upstream's graph.jsonl has it. `before`, when given: its dependents, which upstream keeps
 * on the line too (the other end of each `after`: its add and edit write it, archive reads it); the
 * sync and `wg export --upstream` give them (a change here then writes both ends); without, the line's own is kept.
 */
export function upstreamLine(task: Task, before?: readonly string[]): Line {
  const line: Line = { ...task.extra, kind: 'task', id: task.id, title: task.title };
  put(line, 'description', task.description);
  line.status = task.status;
  line.priority = task.priority_value ?? PRIORITY_VALUES[task.priority];
  put(line, 'assigned', task.assigned);
  if (before) {
    // Upstream's older name of the field (its alias): a line with both is one upstream cannot load.
    delete line.blocks;
    delete line.before;
    put(line, 'before', [...before]);
  }
  put(line, 'after', task.after);
  put(line, 'tags', task.tags);
  put(line, 'artifacts', task.artifacts);
  put(line, 'exec', task.exec);
  // A repeating schedule's next run is upstream's next_cron_fire (cronFields), not a not_before.
  if (!task.schedule || isOneOff(task.schedule)) put(line, 'not_before', task.not_before);
  put(line, 'created_at', task.created_at);
  put(line, 'started_at', task.started_at);
  put(line, 'completed_at', task.completed_at);
  put(line, 'log', task.log.map(logLine));
  put(line, 'retry_count', task.retry_count || undefined);
  if (task.max_retries !== null) line.max_retries = task.max_retries;
  put(line, 'rescue_count', task.rescue_count || undefined);
  put(line, 'failure_reason', task.failure_reason);
  put(line, 'model', task.model);
  put(line, 'agent', task.agent);
  put(line, 'paused', task.paused);
  put(line, 'session_id', task.session_id);
  put(line, 'token_usage', tokenUsage(task));
  cronFields(task, line);
  return line;
}

async function otherNodes(core: StoreCore): Promise<string[]> {
  return (await core.all(core.build.selectFrom('other_nodes').select('node').orderBy('seq'))).map((row) => row.node);
}

/** One JSONL line per node: tasks in the order they were added, then upstream's other nodes (resources). */
export async function exportJsonl(core: StoreCore, options: { upstream?: boolean } = {}): Promise<string> {
  // Upstream's lines carry their dependents (`before`), as the sync writes them: upstream's archive reads them.
  const dependents = options.upstream ? await dependentsByTask(core) : null;
  const tasks = (await listTasks(core)).map((task) =>
    JSON.stringify(dependents ? upstreamLine(task, dependents.get(task.id) ?? []) : ownLine(task)),
  );
  return [...tasks, ...(await otherNodes(core))].map((l) => `${l}\n`).join('');
}
