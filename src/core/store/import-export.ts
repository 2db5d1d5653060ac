import { isSystemTaskId, PRIORITY_VALUES, type JsonValue } from '../../shared/task';
import { loopsOf } from '../graph/analysis/loops';
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
export async function importJsonl(core: StoreCore, jsonl: string): Promise<ImportResult> {
  const { tasks, nodes } = parseJsonl(jsonl);
  return core.write(async (rev) => {
    const now = core.nowIso();
    const seen = new Set<string>();
    let updated = 0;
    // Upstream reads a repeated id as a later definition of the same task: merging in order does the same.
    for (const task of tasks) {
      const existing = await findTaskRow(core, task.id);
      if (existing && !seen.has(task.id)) updated++;
      seen.add(task.id);
      await upsertTask(core, task, existing, rev, now);
    }
    for (const task of tasks) await linkImported(core, task);
    for (const { id, node } of nodes) {
      await core
        .sql(`INSERT INTO other_nodes (id, seq, node) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET node = excluded.node`)
        .send(id, await core.bump('task_seq'), JSON.stringify(node));
    }
    const loops = await keepCyclesAsBackEdges(core);
    await raiseAgentSeq(core, highestAgentNumber(tasks.map((task) => task.fields.assigned)));
    // Work to merge goes with the done it was held for: a line that takes a task out of done lets it go, as a status
    // change here does (dependency-writes.ts updateDependents).
    await core
      .sql(
        "UPDATE worktrees SET merge_at_end = 0, rev = ? WHERE merge_at_end = 1 AND task_id IN (SELECT id FROM tasks WHERE status <> 'done')",
      )
      .send(rev);
    await recountAll(core);
    return { imported: seen.size - updated, updated, loops };
  });
}

/**
 * The tasks and other nodes of a JSONL text, read exactly as the import reads them: what a person's token may import is
 * judged on these (person-authority.ts), never on a reading of its own that could see a line otherwise. Throws on a
 * bad line, naming it.
 */
export function parseJsonl(jsonl: string): { tasks: ImportedTask[]; nodes: Array<{ id: string; node: Record<string, JsonValue> }> } {
  const tasks: ImportedTask[] = [];
  const nodes: Array<{ id: string; node: Record<string, JsonValue> }> = [];
  jsonl.split('\n').forEach((raw, index) => {
    const trimmed = raw.trim();
    if (!trimmed || trimmed.startsWith('#')) return;
    const parsed = parseLine(trimmed, index + 1);
    if (parsed.kind === 'task') tasks.push(parsed.task);
    else if (parsed.kind === 'node') nodes.push(parsed);
  });
  return { tasks, nodes };
}

type Value = string | number | null;

/** The line's value for a column, or the row's when the line does not say. */
function pick<T extends Value>(given: T | undefined, kept: T | undefined, fallback: T): T {
  if (given !== undefined) return given;
  return kept !== undefined ? kept : fallback;
}

async function upsertTask(core: StoreCore, task: ImportedTask, row: TaskRow | undefined, rev: number, now: string): Promise<void> {
  const f = task.fields;
  const extra = { ...(row ? (JSON.parse(row.extra) as Record<string, JsonValue>) : {}), ...task.extra };
  const cron = f.schedule === undefined ? scheduleFromCron(task.extra) : null;
  const totals = totalsFromTokenUsage(task.extra.token_usage);
  const schedule = cron?.schedule ?? f.schedule;
  // A cron task upstream holds back by a not_before as well waits for both, as upstream's (the later of the two).
  const given = f.not_before_iso ?? undefined;
  const next = cron?.next ?? undefined;
  let notBefore = given !== undefined && next !== undefined ? (given > next ? given : next) : (given ?? next);
  if (notBefore === undefined && cron && !row) {
    // As upstream's is_cron_due: a run missed since the last fire is due now, not at the next slot.
    const lastFire = cron.lastFire ? new Date(cron.lastFire) : null;
    notBefore = nextDue(cron.schedule, lastFire && !Number.isNaN(lastFire.getTime()) ? lastFire : core.clock()).toISOString();
  }
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
  const seq = row ? row.seq : await core.bump('task_seq');
  await core
    .sql(
      `INSERT INTO tasks (id, seq, rev, ${columns.join(', ')}) VALUES (?, ?, ?, ${columns.map(() => '?').join(', ')})
     ON CONFLICT (id) DO UPDATE SET rev = excluded.rev, ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    )
    .send(task.id, seq, rev, ...columns.map((c) => values[c] ?? null));
}

/** Adds the line's dependencies, tags and log entries to what the task has (never removes any). */
async function linkImported(core: StoreCore, task: ImportedTask): Promise<void> {
  for (const dep of task.after) {
    if (await core.sql('SELECT 1 FROM loose_deps WHERE task_id = ? AND dep_id = ?').get(task.id, dep)) continue;
    if (await findTaskRow(core, dep)) await core.sql('INSERT OR IGNORE INTO deps (task_id, dep_id) VALUES (?, ?)').send(task.id, dep);
    else await core.sql("INSERT OR IGNORE INTO loose_deps (task_id, dep_id, kind) VALUES (?, ?, 'missing')").send(task.id, dep);
  }
  // A task imported now may be the one an earlier dependency named: the edge becomes real.
  await core
    .sql("INSERT OR IGNORE INTO deps (task_id, dep_id) SELECT task_id, dep_id FROM loose_deps WHERE dep_id = ? AND kind = 'missing'")
    .send(task.id);
  await core.sql("DELETE FROM loose_deps WHERE dep_id = ? AND kind = 'missing'").send(task.id);
  const insertTag = core.sql('INSERT OR IGNORE INTO task_tags (task_id, tag) VALUES (?, ?)');
  for (const tag of task.fields.tags ?? []) await insertTag.send(task.id, tag);
  const known = core.sql<{ n: number }>(
    'SELECT count(*) AS n FROM task_log WHERE task_id = ? AND timestamp = ? AND actor = ? AND message = ?',
  );
  const insertLog = core.sql('INSERT INTO task_log (task_id, timestamp, actor, message, user) VALUES (?, ?, ?, ?, ?)');
  for (const e of task.log) {
    if (((await known.get(task.id, e.timestamp, e.actor, e.message)) as { n: number }).n === 0)
      await insertLog.send(task.id, e.timestamp, e.actor, e.message, e.user);
  }
}

/**
 * Upstream graphs may loop (structural cycles, with their `cycle_config` kept in `extra`). Each loop's
 * back edges are chosen as upstream's cycle analysis chooses them (its extract_cycle_metadata,
 * which its `wg ready` exempts): the loop's header is the member a task outside it leads to (the first
 * by id when several do, or none), and every edge a depth-first walk from the header, over dependents
 * in id order, finds closing onto its own path is a back edge. So the header starts, and each member
 * after it in turn. A back edge is kept and written back, not counted; this app does not run further
 * rounds. System tasks lead into no loop here, as upstream leaves its agency tasks out of the analysis
 * (and as `wg check` names the header, graph-check.ts structuralCycles).
 */
async function keepCyclesAsBackEdges(core: StoreCore): Promise<string[]> {
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  const rows = await core
    .sql<{ from: string; to: string }>('SELECT dep_id AS "from", task_id AS "to" FROM deps ORDER BY dep_id, task_id')
    .all();
  for (const { from, to } of rows) {
    const out = successors.get(from);
    if (out) out.push(to);
    else successors.set(from, [to]);
    const into = predecessors.get(to);
    if (into) into.push(from);
    else predecessors.set(to, [from]);
  }
  const loops: string[] = [];
  for (const members of loopsOf(successors)) {
    const inside = new Set(members);
    const entries = members.filter((id) => (predecessors.get(id) ?? []).some((from) => !inside.has(from) && !isSystemTaskId(from)));
    const header = entries[0] ?? (members[0] as string);
    for (const [dep, task] of backEdgesFrom(header, inside, successors)) {
      await core.sql('DELETE FROM deps WHERE task_id = ? AND dep_id = ?').send(task, dep);
      await core
        .sql(
          "INSERT INTO loose_deps (task_id, dep_id, kind) VALUES (?, ?, 'cycle') ON CONFLICT (task_id, dep_id) DO UPDATE SET kind = excluded.kind",
        )
        .send(task, dep);
      loops.push(`${task} -> ${dep}`);
    }
  }
  return loops;
}

/** The edges, [dependency, task], that a depth-first walk from `header` inside one loop finds closing onto its path. */
function backEdgesFrom(
  header: string,
  inside: ReadonlySet<string>,
  successors: ReadonlyMap<string, readonly string[]>,
): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  const visited = new Set<string>([header]);
  const onPath = new Set<string>([header]);
  const frames: Array<{ id: string; next: number }> = [{ id: header, next: 0 }];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1] as { id: string; next: number };
    const next = (successors.get(frame.id) ?? []).filter((id) => inside.has(id));
    if (frame.next >= next.length) {
      frames.pop();
      onPath.delete(frame.id);
      continue;
    }
    const succ = next[frame.next++] as string;
    if (!visited.has(succ)) {
      visited.add(succ);
      onPath.add(succ);
      frames.push({ id: succ, next: 0 });
    } else if (onPath.has(succ)) {
      edges.push([frame.id, succ]);
    }
  }
  return edges;
}
