import { PRIORITY_VALUES, type JsonValue } from '../../shared/task';
import { nextDue } from '../graph/schedule';
import { recountAll } from './dependency-writes';
import { parseLine, scheduleFromCron, totalsFromTokenUsage, type ImportedTask } from './jsonl-format';
import type { TaskRow } from './rows';
import type { StoreCore } from './store-core';
import { findTaskRow } from './task-reads';
import { highestAgentNumber, raiseAgentSeq } from './agent-records';

export { exportJsonl } from './jsonl-export';

export interface ImportResult {
  imported: number;
  updated: number;
  /** Dependencies that close a cycle (upstream allows loops): kept as back edges that do not block, "task -> dependency". */
  loops: string[];
}

/**
 * Reads a graph.jsonl (upstream's or this app's) and MERGES it into the store in one transaction:
 * what a line says is written; nothing the file does not mention is removed (another task's
 * dependency on an imported task, log entries, tags, fields the line leaves out). Ids follow the
 * rule of every other command; a dependency on an id not in the graph is kept and blocks, as
 * upstream treats it. A bad line refuses the whole file, naming the line.
 */
export function importJsonl(core: StoreCore, jsonl: string): ImportResult {
  const tasks: ImportedTask[] = [];
  const nodes: Array<{ id: string; node: Record<string, JsonValue> }> = [];
  jsonl.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, index + 1);
    if (parsed.kind === 'task') tasks.push(parsed.task);
    else if (parsed.kind === 'node') nodes.push(parsed);
  });
  return core.write((rev) => {
    const now = core.nowIso();
    const seen = new Set<string>();
    let updated = 0;
    // Upstream reads a repeated id as a later definition of the same task: merging in order does the same.
    for (const task of tasks) {
      const existing = findTaskRow(core, task.id);
      if (existing && !seen.has(task.id)) updated++;
      seen.add(task.id);
      upsertTask(core, task, existing, rev, now);
    }
    for (const task of tasks) linkImported(core, task);
    for (const { id, node } of nodes) {
      core
        .sql(`INSERT INTO other_nodes (id, seq, node) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET node = excluded.node`)
        .run(id, core.bump('task_seq'), JSON.stringify(node));
    }
    const loops = keepCyclesAsBackEdges(core);
    raiseAgentSeq(core, highestAgentNumber(tasks.map((task) => task.fields.assigned)));
    recountAll(core);
    return { imported: seen.size - updated, updated, loops };
  });
}

type Value = string | number | null;

/** The line's value for a column, or the row's when the line does not say. */
function pick<T extends Value>(given: T | undefined, kept: T | undefined, fallback: T): T {
  if (given !== undefined) return given;
  return kept !== undefined ? kept : fallback;
}

function upsertTask(core: StoreCore, task: ImportedTask, row: TaskRow | undefined, rev: number, now: string): void {
  const f = task.fields;
  const extra = { ...(row ? (JSON.parse(row.extra) as Record<string, JsonValue>) : {}), ...task.extra };
  const cron = f.schedule === undefined ? scheduleFromCron(task.extra) : null;
  const totals = totalsFromTokenUsage(task.extra.token_usage);
  const schedule = cron?.schedule ?? f.schedule;
  let notBefore = f.not_before_iso ?? cron?.next ?? undefined;
  if (notBefore === undefined && cron && !row) notBefore = nextDue(cron.schedule, core.clock()).toISOString();
  const values: Record<string, Value> = {
    title: task.title,
    description: pick(f.description === null ? '' : f.description, row?.description, ''),
    status: pick(f.status, row?.status, 'open'),
    paused: pick(f.paused === undefined || f.paused === null ? undefined : f.paused ? 1 : 0, row?.paused, 0),
    priority: pick(f.priority_number, row?.priority, PRIORITY_VALUES.normal),
    model: pick(f.model, row?.model, null),
    executor: pick(f.executor, row?.executor, null),
    exec: pick(f.exec, row?.exec, null),
    repo: pick(f.repo, row?.repo, null),
    role: pick(f.role, row?.role, null),
    schedule: pick(schedule, row?.schedule, null),
    not_before: pick(notBefore, row?.not_before, null),
    assigned: pick(f.assigned, row?.assigned, null),
    agent: pick(f.agent, row?.agent, null),
    created_at: pick(f.created_at ?? undefined, row?.created_at, now),
    started_at: pick(f.started_at, row?.started_at, null),
    completed_at: pick(f.completed_at, row?.completed_at, null),
    artifacts: pick(f.artifacts ? JSON.stringify(f.artifacts) : undefined, row?.artifacts, '[]'),
    results: pick(f.results ? JSON.stringify(f.results) : undefined, row?.results, '{}'),
    retry_count: pick(f.retry_count ?? undefined, row?.retry_count, 0),
    max_retries: pick(f.max_retries, row?.max_retries, null),
    rescue_count: pick(f.rescue_count ?? undefined, row?.rescue_count, 0),
    failure_reason: pick(f.failure_reason, row?.failure_reason, null),
    evaluation: pick(
      f.evaluation
        ? JSON.stringify({
            ...f.evaluation,
            evaluator: f.evaluation.evaluator ?? null,
            notes: f.evaluation.notes ?? null,
            timestamp: f.evaluation.timestamp ?? now,
          })
        : undefined,
      row?.evaluation,
      null,
    ),
    session_id: pick(f.session_id, row?.session_id, null),
    cost_usd: pick(f.cost_usd ?? totals?.cost_usd, row?.cost_usd, 0),
    tokens_in: pick(f.tokens_in ?? totals?.tokens_in, row?.tokens_in, 0),
    tokens_out: pick(f.tokens_out ?? totals?.tokens_out, row?.tokens_out, 0),
    extra: JSON.stringify(extra),
  };
  const columns = Object.keys(values);
  const seq = row ? row.seq : core.bump('task_seq');
  core
    .sql(
      `INSERT INTO tasks (id, seq, rev, ${columns.join(', ')}) VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')})
     ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    )
    .run(task.id, seq, rev, ...columns.map((c) => values[c] ?? null));
}

/** Adds the line's dependencies, tags and log entries to what the task has (never removes any). */
function linkImported(core: StoreCore, task: ImportedTask): void {
  for (const dep of task.after) {
    if (core.sql('SELECT 1 FROM loose_deps WHERE task_id = ? AND dep_id = ?').get(task.id, dep)) continue;
    if (findTaskRow(core, dep)) core.sql('INSERT OR IGNORE INTO deps (task_id, dep_id) VALUES (?, ?)').run(task.id, dep);
    else core.sql("INSERT OR IGNORE INTO loose_deps (task_id, dep_id, kind) VALUES (?, ?, 'missing')").run(task.id, dep);
  }
  // A task imported now may be the one an earlier dependency named: the edge becomes real.
  core
    .sql("INSERT OR IGNORE INTO deps (task_id, dep_id) SELECT task_id, dep_id FROM loose_deps WHERE dep_id = ? AND kind = 'missing'")
    .run(task.id);
  core.sql("DELETE FROM loose_deps WHERE dep_id = ? AND kind = 'missing'").run(task.id);
  const insertTag = core.sql('INSERT OR IGNORE INTO task_tags (task_id, tag) VALUES (?, ?)');
  for (const tag of task.fields.tags ?? []) insertTag.run(task.id, tag);
  const known = core.sql<{ n: number }>(
    'SELECT count(*) AS n FROM task_log WHERE task_id = ? AND timestamp = ? AND actor = ? AND message = ?',
  );
  const insertLog = core.sql('INSERT INTO task_log (task_id, timestamp, actor, message, user) VALUES (?, ?, ?, ?, ?)');
  for (const e of task.log) {
    if ((known.get(task.id, e.timestamp, e.actor, e.message) as { n: number }).n === 0)
      insertLog.run(task.id, e.timestamp, e.actor, e.message, e.user);
  }
}

/**
 * Upstream graphs may loop (structural cycles, with their `cycle_config` kept in `extra`). As
 * upstream's cycle analysis does (`CycleAnalysis`: a depth-first walk from dependency to
 * dependent over ids in order), the edge that closes each loop is its back edge: the loop's header
 * does not wait for it, so the first round can run. It is kept and written back, not counted; this
 * app does not run further rounds.
 */
function keepCyclesAsBackEdges(core: StoreCore): string[] {
  const loops: string[] = [];
  for (let cycle = findAnyCycle(core); cycle; cycle = findAnyCycle(core)) {
    const dep = cycle[cycle.length - 2] as string;
    const task = cycle[cycle.length - 1] as string;
    core.sql('DELETE FROM deps WHERE task_id = ? AND dep_id = ?').run(task, dep);
    core
      .sql(
        "INSERT INTO loose_deps (task_id, dep_id, kind) VALUES (?, ?, 'cycle') ON CONFLICT (task_id, dep_id) DO UPDATE SET kind = excluded.kind",
      )
      .run(task, dep);
    loops.push(`${task} -> ${dep}`);
  }
  return loops;
}

/** Any cycle (iterative three-colour DFS from each dependency to its dependents, ids in order), as a closed path. */
function findAnyCycle(core: StoreCore): string[] | null {
  const edges = new Map<string, string[]>();
  const rows = core.sql<{ from: string; to: string }>('SELECT dep_id AS "from", task_id AS "to" FROM deps ORDER BY dep_id, task_id').all();
  for (const { from, to } of rows) {
    const list = edges.get(from);
    if (list) list.push(to);
    else edges.set(from, [to]);
  }
  const state = new Map<string, 1 | 2>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const next = edges.get(frame.id) ?? [];
      if (frame.next >= next.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const to = next[frame.next++] as string;
      const seen = state.get(to);
      if (seen === 1) {
        const from = stack.findIndex((f) => f.id === to);
        return [...stack.slice(from).map((f) => f.id), to];
      }
      if (seen === undefined) {
        state.set(to, 1);
        stack.push({ id: to, next: 0 });
      }
    }
  }
  return null;
}
