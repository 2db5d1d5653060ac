import type { RecursiveTrace, RecursiveTaskInfo, TaskTrace, TraceRun, TraceSummary } from '../../shared/history';
import type { LogEntry, Task } from '../../shared/task';
import { upstreamEvaluation } from '../agency/evaluation-shape';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { secondsBetween, traceDuration } from './duration-text';
import { detectInterventions } from './interventions';
import { readOperations } from './operations-log';
import { runCount, taskRuns } from './task-runs';

/*
 * `wg trace show`: a task's execution history as upstream's gathers it (its operations,
 * its runs with their prompts' and outputs' sizes, turns and tool calls, a summary), and what this
 * app records besides (the task's log, its messages, its evaluations, what each run cost).
 */

function summarize(task: Task, operations: number, runs: readonly TraceRun[]): TraceSummary {
  const duration = secondsBetween(task.started_at, task.completed_at);
  const sum = (pick: (run: TraceRun) => number | undefined) => runs.reduce((total, run) => total + (pick(run) ?? 0), 0);
  const toolCalls = sum((r) => r.tool_calls);
  const turns = sum((r) => r.turns);
  const outputBytes = sum((r) => r.output_bytes);
  return {
    ...(duration === null ? {} : { duration_secs: duration, duration_human: traceDuration(duration) }),
    operation_count: operations,
    agent_run_count: runs.length,
    ...(toolCalls > 0 ? { total_tool_calls: toolCalls } : {}),
    ...(turns > 0 ? { total_turns: turns } : {}),
    ...(outputBytes > 0 ? { total_output_bytes: outputBytes } : {}),
    total_cost_usd: sum((r) => r.cost_usd),
    total_tokens_in: sum((r) => r.tokens_in),
    total_tokens_out: sum((r) => r.tokens_out),
  };
}

export async function traceTask(store: Store, paths: ProjectPaths, id: string): Promise<TaskTrace> {
  const task = await store.get(id);
  const operations = readOperations(paths.dir).filter((op) => op.task_id === id);
  const runs = await taskRuns(store, paths, id, true);
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    ...(task.assigned ? { assigned: task.assigned } : {}),
    ...(task.created_at ? { created_at: task.created_at } : {}),
    ...(task.started_at ? { started_at: task.started_at } : {}),
    ...(task.completed_at ? { completed_at: task.completed_at } : {}),
    operations,
    agent_runs: runs,
    summary: summarize(task, operations.length, runs),
    log: task.log,
    messages: await store.messages.list(id),
    evaluations: (await store.evaluations.forTask(id)).map(upstreamEvaluation),
  };
}

/**
 * The task and every task whose dependencies lead back to it (upstream's collect_descendants),
 * without the agency's internal tasks (tagged assignment or evaluation), by start (else creation).
 */
export function descendantsOf(tasks: readonly Task[], rootId: string): Task[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>();
  for (const task of tasks) for (const dep of task.after) dependents.set(dep, [...(dependents.get(dep) ?? []), task.id]);
  const seen = new Set<string>();
  const queue = [rootId];
  const found: Task[] = [];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const task = byId.get(id);
    if (!task) continue;
    if (!task.tags.some((t) => t === 'assignment' || t === 'evaluation')) found.push(task);
    queue.push(...(dependents.get(id) ?? []));
  }
  const key = (t: Task) => t.started_at ?? t.created_at ?? '';
  return found.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** From the earliest start to the latest completion in the subgraph (upstream's compute_wall_clock). */
export function wallClock(tasks: readonly Task[]): number | null {
  const times = (pick: (t: Task) => string | null) =>
    tasks.map(pick).flatMap((iso) => (iso && !Number.isNaN(Date.parse(iso)) ? [Date.parse(iso)] : []));
  const starts = times((t) => t.started_at);
  const ends = times((t) => t.completed_at);
  if (starts.length === 0 || ends.length === 0) return null;
  return Math.trunc((Math.max(...ends) - Math.min(...starts)) / 1000);
}

/** `wg trace show ID --recursive`: the subgraph from the task down, with its human interventions. */
export async function traceRecursive(store: Store, paths: ProjectPaths, rootId: string): Promise<RecursiveTrace> {
  const root = await store.get(rootId);
  const descendants = descendantsOf(await store.list(), rootId);
  const ids = new Set(descendants.map((t) => t.id));
  const logs = new Map<string, readonly LogEntry[]>(descendants.map((t) => [t.id, t.log]));
  const interventions = detectInterventions(readOperations(paths.dir), logs);
  const wall = wallClock(descendants);
  const tasks: RecursiveTaskInfo[] = await Promise.all(
    descendants.map(async (task) => {
      const duration = secondsBetween(task.started_at, task.completed_at);
      return {
        id: task.id,
        title: task.title,
        status: task.status,
        assigned: task.assigned,
        duration_secs: duration,
        duration_human: duration === null ? null : traceDuration(duration),
        started_at: task.started_at,
        completed_at: task.completed_at,
        artifacts: task.artifacts,
        agent_runs: await runCount(store, paths, task.id),
        interventions: interventions.filter((i) => i.task_id === task.id),
        after: task.after.filter((dep) => ids.has(dep)),
      };
    }),
  );
  return {
    root_id: rootId,
    root_title: root.title,
    total_tasks: descendants.length,
    wall_clock_secs: wall,
    wall_clock_human: wall === null ? null : traceDuration(wall),
    tasks,
    interventions,
  };
}
