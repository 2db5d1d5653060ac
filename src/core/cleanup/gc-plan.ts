import type { Task } from '../../shared/task';
import { isTerminal } from '../graph/readiness';
import { structuralCycles } from '../graph/analysis/graph-check';
import { indexTasks } from '../graph/analysis/task-index';
import { olderThan } from './age';

/*
 * Which tasks `wg gc` removes, as upstream's gc chooses them (pure): terminal tasks (failed and
 * abandoned; done too with --include-done) that no unfinished task depends on, old enough with
 * --older; a loop (a strongly connected set of tasks) goes whole or not at all; the system tasks of a
 * removed task (`.assign-X`, `.evaluate-X`, …) go with it once finished, and finished ones whose task
 * is already gone go too.
 */

/** Upstream's INTERNAL_PREFIXES: tasks made for another task, named after it. */
const INTERNAL_PREFIXES = ['.assign-', '.evaluate-', '.verify-', '.respond-to-', 'assign-', 'evaluate-'] as const;

export interface GcChoice {
  includeDone: boolean;
  /** --older, in milliseconds; null: any age. */
  olderMs: number | null;
  now: Date;
}

type GcInput = Pick<Task, 'id' | 'status' | 'after' | 'completed_at' | 'started_at' | 'created_at' | 'log'>;

/** When a task ended, as upstream reads it: completed_at, else its last log entry (fail, abandon), else started_at or created_at. */
export function terminalTimestamp(task: Pick<GcInput, 'completed_at' | 'started_at' | 'created_at' | 'log'>): string | null {
  const parsable = (iso: string | null | undefined) => (iso && !Number.isNaN(Date.parse(iso)) ? iso : null);
  const completed = parsable(task.completed_at);
  if (completed) return completed;
  const last = parsable(task.log[task.log.length - 1]?.timestamp);
  if (last) return last;
  return parsable(task.started_at ?? task.created_at ?? null);
}

function oldEnough(task: GcInput, choice: GcChoice): boolean {
  return choice.olderMs === null || olderThan(terminalTimestamp(task), choice.olderMs, choice.now);
}

/** The ids to remove, sorted. */
export function gcCandidates(tasks: readonly Task[], choice: GcChoice): string[] {
  const byId = indexTasks(tasks);
  const hasOpenDependent = new Set<string>();
  for (const task of tasks) if (!isTerminal(task.status)) for (const dep of task.after) hasOpenDependent.add(dep);

  const protectedMembers = new Set<string>();
  const loopCandidates: string[][] = [];
  for (const { members } of structuralCycles(tasks, byId)) {
    const inside = new Set(members);
    const allTerminal = members.every((id) => {
      const task = byId.get(id);
      return task !== undefined && isTerminal(task.status);
    });
    const externalDependent = tasks.some((t) => !isTerminal(t.status) && !inside.has(t.id) && t.after.some((dep) => inside.has(dep)));
    if (!allTerminal || externalDependent) for (const id of members) protectedMembers.add(id);
    else loopCandidates.push(members);
  }

  const chosen = new Set<string>();
  for (const task of tasks) {
    if (!isTerminal(task.status)) continue;
    if (task.status === 'done' && !choice.includeDone) continue;
    if (protectedMembers.has(task.id) || hasOpenDependent.has(task.id)) continue;
    if (!oldEnough(task, choice)) continue;
    chosen.add(task.id);
  }
  for (const members of loopCandidates) {
    const each = members.map((id) => byId.get(id) as Task);
    if (!each.every((t) => t.status !== 'done' || choice.includeDone)) continue;
    if (!each.every((t) => oldEnough(t, choice))) continue;
    for (const id of members) chosen.add(id);
  }
  // The system tasks of a task that goes, once they are finished.
  for (const task of tasks) {
    for (const prefix of INTERNAL_PREFIXES) {
      if (task.id.startsWith(prefix) && chosen.has(task.id.slice(prefix.length)) && isTerminal(task.status)) chosen.add(task.id);
    }
  }
  // Finished system tasks left behind (their task removed or archived before).
  for (const task of tasks) {
    if (chosen.has(task.id)) continue;
    const internal = INTERNAL_PREFIXES.some((prefix) => task.id.startsWith(prefix));
    if (internal && isTerminal(task.status) && !hasOpenDependent.has(task.id) && oldEnough(task, choice)) chosen.add(task.id);
  }
  return [...chosen].sort();
}
