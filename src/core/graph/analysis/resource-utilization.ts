import type { ResourceUtilization } from '../../../shared/resources';
import type { Task, TaskStatus } from '../../../shared/task';
import { estimateOf, stringListOf } from './task-index';

/** Upstream's resource node (`{"kind": "resource", …}` in graph.jsonl), as graph.db keeps it among its other nodes. */
export interface ResourceNode {
  id: string;
  name: string | null;
  available: number | null;
  unit: string | null;
}

/** A kept node's text read as a resource, or null when it is some other kind (or not one upstream wrote). */
export function resourceOf(id: string, text: string): ResourceNode | null {
  let node: unknown;
  try {
    node = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof node !== 'object' || node === null || (node as { kind?: unknown }).kind !== 'resource') return null;
  const { name, available, unit } = node as Record<string, unknown>;
  return {
    id,
    name: typeof name === 'string' ? name : null,
    available: typeof available === 'number' && Number.isFinite(available) ? available : null,
    unit: typeof unit === 'string' ? unit : null,
  };
}

/** What a task's estimated cost counts towards (upstream's match): still to do, spent, or nothing. */
const COMMITTED: readonly TaskStatus[] = ['open', 'in-progress', 'blocked', 'incomplete', 'pending-eval', 'failed-pending-eval'];

/**
 * `wg resources` (upstream's calculate_utilization): for each resource with an amount available, the estimated cost of
 * the tasks that require it (their `requires`), committed while unfinished and spent once done (a failed, abandoned,
 * waiting or pending-validation task counts for neither); over budget when committed is more than available, with the
 * unfinished tasks that have a cost at risk. Sorted by id.
 */
export function resourceUtilization(resources: readonly ResourceNode[], tasks: readonly Task[]): ResourceUtilization[] {
  return resources
    .flatMap((resource) => {
      if (resource.available === null) return [];
      const available = resource.available;
      let committed = 0;
      let spent = 0;
      const open: string[] = [];
      for (const task of tasks) {
        if (!stringListOf(task, 'requires').includes(resource.id)) continue;
        const cost = estimateOf(task, 'cost') ?? 0;
        if (COMMITTED.includes(task.status)) {
          committed += cost;
          if (cost > 0) open.push(task.id);
        } else if (task.status === 'done') spent += cost;
      }
      const overBudget = committed > available;
      return [
        {
          id: resource.id,
          name: resource.name,
          available,
          unit: resource.unit,
          committed,
          spent,
          remaining: available - committed,
          committed_percent: available > 0 ? (committed / available) * 100 : 0,
          over_budget: overBudget,
          tasks_at_risk: overBudget ? open : [],
        },
      ];
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
