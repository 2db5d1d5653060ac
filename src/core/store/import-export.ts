import { z } from 'zod';
import { PRIORITIES, type Evaluation, type TaskStatus } from '../../shared/task';
import { invalid, WgError } from '../../shared/errors';
import { jsonValue } from '../../shared/ops/schemas';
import { priorityRank } from '../graph/readiness';
import type { StoreCore } from './store-core';
import { findTaskRow, listTasks } from './task-reads';

/** One JSONL line per task, `"kind":"task"`, field names as in the task model. */
export function exportJsonl(core: StoreCore): string {
  return listTasks(core)
    .map(({ rev: _rev, ...task }) => JSON.stringify(task))
    .join('\n') + '\n';
}

/** Upstream statuses this app does not have map to the nearest one. */
const STATUS_ALIASES: Record<string, TaskStatus> = {
  open: 'open', blocked: 'open', todo: 'open', 'in-progress': 'in-progress', in_progress: 'in-progress',
  'pending-eval': 'pending-eval', 'pending-review': 'pending-eval', done: 'done', failed: 'failed', abandoned: 'abandoned',
};

const logEntry = z.object({ timestamp: z.string(), actor: z.string().nullish(), message: z.string() });

// Lenient on purpose: upstream graph.jsonl files carry fields we do not use.
const importedTask = z.object({
  kind: z.string().optional(),
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().nullish(),
  status: z.string().nullish(),
  paused: z.boolean().nullish(),
  priority: z.union([z.enum(PRIORITIES), z.number()]).nullish(),
  tags: z.array(z.string()).nullish(),
  after: z.array(z.string()).nullish(),
  blocked_by: z.array(z.string()).nullish(),
  model: z.string().nullish(),
  executor: z.string().nullish(),
  exec: z.string().nullish(),
  repo: z.string().nullish(),
  role: z.string().nullish(),
  schedule: z.string().nullish(),
  not_before: z.string().nullish(),
  assigned: z.string().nullish(),
  agent: z.string().nullish(),
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  log: z.array(logEntry).nullish(),
  artifacts: z.array(z.string()).nullish(),
  retry_count: z.number().int().nullish(),
  max_retries: z.number().int().nullish(),
  failure_reason: z.string().nullish(),
  results: z.record(z.string(), jsonValue).nullish(),
  evaluation: z
    .object({ score: z.number(), dimensions: z.record(z.string(), z.number()).default({}), evaluator: z.string().nullish(), notes: z.string().nullish(), timestamp: z.string().nullish() })
    .nullish(),
  session_id: z.string().nullish(),
  cost_usd: z.number().nullish(),
  tokens_in: z.number().int().nullish(),
  tokens_out: z.number().int().nullish(),
});
type ImportedTask = z.infer<typeof importedTask>;

function toEvaluation(e: NonNullable<ImportedTask['evaluation']>, now: string): Evaluation {
  return { score: e.score, dimensions: e.dimensions, evaluator: e.evaluator ?? null, notes: e.notes ?? null, timestamp: e.timestamp ?? now };
}

function parseLines(jsonl: string): ImportedTask[] {
  const tasks: ImportedTask[] = [];
  jsonl.split('\n').forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw invalid(`line ${index + 1}: malformed JSON`);
    }
    if (typeof value === 'object' && value !== null && 'kind' in value && value.kind !== 'task') return;
    const parsed = importedTask.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalid(`line ${index + 1}: ${issue?.path.join('.') || 'task'}: ${issue?.message ?? 'invalid'}`);
    }
    const status = parsed.data.status ?? 'open';
    if (!(status in STATUS_ALIASES)) throw invalid(`line ${index + 1}: unknown status '${status}'`);
    tasks.push(parsed.data);
  });
  return tasks;
}

function priorityOf(value: ImportedTask['priority']): number {
  if (typeof value === 'number') return Math.min(3, Math.max(0, Math.round(value)));
  return priorityRank(value ?? 'normal');
}

/** Upserts every task, then replaces their dependencies and recomputes blocker counts; all or nothing. */
export function importJsonl(core: StoreCore, jsonl: string): { imported: number; updated: number } {
  const tasks = parseLines(jsonl);
  const ids = new Set(tasks.map((t) => t.id));
  if (ids.size !== tasks.length) throw invalid('the file lists a task id twice');
  return core.write((rev) => {
    let updated = 0;
    const now = core.nowIso();
    for (const t of tasks) {
      const existing = findTaskRow(core, t.id);
      if (existing) updated++;
      const seq = existing ? existing.seq : core.bump('task_seq');
      core.sql(
        `INSERT OR REPLACE INTO tasks (id, seq, title, description, status, paused, priority, model, executor, exec, repo, role, schedule,
           not_before, assigned, agent, created_at, started_at, completed_at, artifacts, retry_count, max_retries,
           failure_reason, results, evaluation, session_id, cost_usd, tokens_in, tokens_out, rev)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        t.id, seq, t.title, t.description ?? '', STATUS_ALIASES[t.status ?? 'open'], t.paused ? 1 : 0, priorityOf(t.priority),
        t.model ?? null, t.executor ?? null, t.exec ?? null, t.repo ?? null, t.role ?? null, t.schedule ?? null, t.not_before ?? null, t.assigned ?? null,
        t.agent ?? null, t.created_at ?? now, t.started_at ?? null, t.completed_at ?? null, JSON.stringify(t.artifacts ?? []),
        t.retry_count ?? 0, t.max_retries ?? 2, t.failure_reason ?? null, JSON.stringify(t.results ?? {}),
        t.evaluation ? JSON.stringify(toEvaluation(t.evaluation, now)) : null,
        t.session_id ?? null, t.cost_usd ?? 0, t.tokens_in ?? 0, t.tokens_out ?? 0, rev,
      );
    }
    // INSERT OR REPLACE deleted the old rows' children through the foreign keys; rebuild them.
    const insertDep = core.sql('INSERT OR IGNORE INTO deps (task_id, dep_id) VALUES (?, ?)');
    const insertTag = core.sql('INSERT OR IGNORE INTO task_tags (task_id, tag) VALUES (?, ?)');
    const insertLog = core.sql('INSERT INTO task_log (task_id, timestamp, actor, message) VALUES (?, ?, ?, ?)');
    for (const t of tasks) {
      for (const dep of [...(t.after ?? []), ...(t.blocked_by ?? [])]) {
        if (!ids.has(dep) && !findTaskRow(core, dep)) throw invalid(`task '${t.id}' depends on unknown task '${dep}'`);
        insertDep.run(t.id, dep);
      }
      for (const tag of t.tags ?? []) insertTag.run(t.id, tag);
      for (const entry of t.log ?? []) insertLog.run(t.id, entry.timestamp, entry.actor ?? 'import', entry.message);
    }
    const cycle = findAnyCycle(core);
    if (cycle) throw new WgError('cycle', `import would create a cycle: ${cycle.join(' -> ')}`);
    core.sql(
      `UPDATE tasks SET blockers = (SELECT count(*) FROM deps d JOIN tasks u ON u.id = d.dep_id
         WHERE d.task_id = tasks.id AND u.status NOT IN ('done', 'abandoned'))`,
    ).run();
    return { imported: tasks.length - updated, updated };
  });
}

/** Any cycle in the whole graph (iterative three-colour DFS), as a closed path. */
function findAnyCycle(core: StoreCore): string[] | null {
  const edges = new Map<string, string[]>();
  for (const { task_id, dep_id } of core.sql<{ task_id: string; dep_id: string }>('SELECT task_id, dep_id FROM deps').all()) {
    const list = edges.get(task_id);
    if (list) list.push(dep_id);
    else edges.set(task_id, [dep_id]);
  }
  const state = new Map<string, 1 | 2>();
  for (const start of edges.keys()) {
    if (state.has(start)) continue;
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const frame = stack[stack.length - 1] as { id: string; next: number };
      const deps = edges.get(frame.id) ?? [];
      if (frame.next >= deps.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const dep = deps[frame.next++] as string;
      const seen = state.get(dep);
      if (seen === 1) {
        const from = stack.findIndex((f) => f.id === dep);
        return [...stack.slice(from).map((f) => f.id), dep];
      }
      if (seen === undefined) {
        state.set(dep, 1);
        stack.push({ id: dep, next: 0 });
      }
    }
  }
  return null;
}

