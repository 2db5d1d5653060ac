import type { Task } from '../../../shared/task';
import type { AgentWorkload, WorkloadReport } from '../../../shared/reports';
import { estimateOf } from './task-index';

/** An agent known before any task is counted: an agency identity (its hash and name), with its hours a week if known. */
export interface KnownAgent {
  id: string;
  name: string;
  capacity: number | null;
}

const emptyLoad = (id: string, name: string, capacity: number | null): AgentWorkload => ({
  id,
  name,
  assigned_count: 0,
  assigned_hours: 0,
  in_progress_count: 0,
  capacity,
  load_percent: null,
  is_overloaded: false,
});

/**
 * `wg workload` (upstream's): each agent's assigned tasks that are not done, their estimated hours and how
 * many are in progress; its load against its capacity where it has one; the unassigned tasks, and how many of them are
 * ready. Agents by id.
 */
export function workloadOf(tasks: readonly Task[], known: readonly KnownAgent[], readyIds: ReadonlySet<string>): WorkloadReport {
  const loads = new Map<string, AgentWorkload>(known.map((a) => [a.id, emptyLoad(a.id, a.name, a.capacity)]));
  let unassigned = 0;
  let readyUnassigned = 0;
  for (const task of tasks) {
    // Only done is left out: a failed or abandoned task still assigned counts, as upstream counts it.
    if (task.status === 'done') continue;
    if (task.assigned === null) {
      unassigned++;
      if (readyIds.has(task.id)) readyUnassigned++;
      continue;
    }
    let load = loads.get(task.assigned);
    if (!load) {
      load = emptyLoad(task.assigned, task.assigned, null);
      loads.set(task.assigned, load);
    }
    load.assigned_count++;
    load.assigned_hours += estimateOf(task, 'hours') ?? 0;
    if (task.status === 'in-progress') load.in_progress_count++;
  }
  for (const load of loads.values()) {
    if (load.capacity !== null && load.capacity > 0) {
      load.load_percent = (load.assigned_hours / load.capacity) * 100;
      load.is_overloaded = load.load_percent > 100;
    }
  }
  const agents = [...loads.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { agents, unassigned_count: unassigned, ready_unassigned_count: readyUnassigned };
}
