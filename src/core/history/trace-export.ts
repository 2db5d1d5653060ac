import type { ExportedTask, OperationEntry, TraceExport } from '../../shared/history';
import type { JsonValue, LogEntry, Task } from '../../shared/task';
import { upstreamEvaluation } from '../agency/evaluation-shape';
import { appVersion } from '../app-version';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { readOperations } from './operations-log';

/*
 * `wg trace export`: upstream's TraceExport, the graph or a task and everything
 * after it, filtered by visibility zone: `internal` everything, `peer` the public and peer tasks
 * with their agents but no logs and no evaluation notes, `public` only public tasks, their
 * structural operations without detail, no evaluations. Upstream's functions are not exported here.
 */

export const VISIBILITIES = ['internal', 'public', 'peer'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Upstream's five operations a public export keeps. */
const STRUCTURAL_OPS = new Set(['add_task', 'done', 'fail', 'abandon', 'retry']);

const names = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** A task's visibility zone (upstream's `visibility`, "internal" unless set). */
export function visibilityOf(task: Task): string {
  return typeof task.extra.visibility === 'string' ? task.extra.visibility : 'internal';
}

/** The root and every task after it, transitively (upstream's collect_descendants). */
function withDescendants(tasks: readonly Task[], root: string): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const task of tasks) for (const dep of task.after) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
  const found = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const next of dependents.get(queue.pop() as string) ?? []) {
      if (found.has(next)) continue;
      found.add(next);
      queue.push(next);
    }
  }
  return found;
}

function visibleAt(task: Task, zone: Visibility): boolean {
  const own = visibilityOf(task);
  if (zone === 'internal') return true;
  if (zone === 'public') return own === 'public';
  return own === 'public' || own === 'peer';
}

function logLine(entry: LogEntry): LogEntry {
  return {
    timestamp: entry.timestamp,
    ...(entry.actor ? { actor: entry.actor } : {}),
    ...(entry.user ? { user: entry.user } : {}),
    message: entry.message,
  } as LogEntry;
}

/** Sets `key` only when the value says something (upstream's skip_serializing_if). */
function put<K extends keyof ExportedTask>(out: ExportedTask, key: K, value: ExportedTask[K] | null | undefined): void {
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
  out[key] = value;
}

/** Fields in the order of upstream's ExportedTask. */
function exportedTask(task: Task, zone: Visibility, dependents: readonly string[]): ExportedTask {
  const out = { id: task.id, title: task.title } as ExportedTask;
  put(out, 'description', task.description);
  out.status = task.status;
  out.visibility = visibilityOf(task);
  put(out, 'skills', names(task.extra.skills));
  put(out, 'after', task.after);
  put(out, 'before', [...new Set([...names(task.extra.before), ...dependents])]);
  put(out, 'tags', task.tags);
  put(out, 'artifacts', task.artifacts);
  put(out, 'created_at', task.created_at);
  put(out, 'completed_at', task.completed_at);
  if (zone !== 'public') put(out, 'agent', task.agent);
  if (zone === 'internal') put(out, 'log', task.log.map(logLine));
  return out;
}

export async function exportTrace(
  store: Store,
  paths: ProjectPaths,
  options: { root?: string; visibility: Visibility; now: Date },
): Promise<TraceExport> {
  const tasks = await store.list();
  if (options.root !== undefined) await store.get(options.root);
  const scope = options.root === undefined ? null : withDescendants(tasks, options.root);
  const included = tasks.filter((t) => (scope === null || scope.has(t.id)) && visibleAt(t, options.visibility));
  const ids = new Set(included.map((t) => t.id));
  const dependents = new Map<string, string[]>();
  for (const task of tasks) for (const dep of task.after) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
  const evaluations =
    options.visibility === 'public'
      ? []
      : (await store.evaluations.all())
          .filter((e) => ids.has(e.task_id))
          .map(upstreamEvaluation)
          .map((e) => (options.visibility === 'peer' ? { ...e, notes: '' } : e));
  const operations: OperationEntry[] = readOperations(paths.dir)
    .filter((op) => op.task_id !== undefined && ids.has(op.task_id))
    .filter((op) => options.visibility !== 'public' || STRUCTURAL_OPS.has(op.op))
    .map((op) => {
      if (options.visibility !== 'public') return op;
      const { detail: _detail, ...rest } = op;
      return rest;
    });
  return {
    metadata: {
      version: appVersion(),
      exported_at: options.now.toISOString(),
      visibility: options.visibility,
      ...(options.root !== undefined ? { root_task: options.root } : {}),
    },
    tasks: included.map((t) => exportedTask(t, options.visibility, dependents.get(t.id) ?? [])),
    evaluations,
    operations,
  };
}
