import { closestName } from '../../../shared/closest-name';
import { isSystemTaskId, type Task } from '../../../shared/task';
import type { GraphCheck, OrphanRef, StructuralCycle, WrongBlockerCount } from '../../../shared/insight';
import { isTerminal } from '../readiness';
import { stringListOf, type TaskIndex } from './task-index';
import { loopsOf } from './loops';

/*
 * `wg check`, as upstream computes it. The store refuses a
 * cycle when an edge is added, so cycles here come from an imported graph (upstream allows loops).
 */

/** Every cycle a depth-first walk along `after` edges meets (upstream check_cycles), each as a path. */
export function findCycles(tasks: readonly Task[], index: TaskIndex): string[][] {
  const cycles: string[][] = [];
  const visited = new Set<string>();
  const onPath = new Set<string>();
  const path: string[] = [];
  // Iterative, so a long chain cannot overflow the stack: each frame is a task and its next edge.
  for (const start of tasks) {
    if (visited.has(start.id)) continue;
    const frames: Array<{ id: string; next: number }> = [{ id: start.id, next: 0 }];
    visited.add(start.id);
    onPath.add(start.id);
    path.push(start.id);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1] as { id: string; next: number };
      const deps = index.get(frame.id)?.after ?? [];
      if (frame.next >= deps.length) {
        frames.pop();
        path.pop();
        onPath.delete(frame.id);
        continue;
      }
      const dep = deps[frame.next++] as string;
      if (!visited.has(dep)) {
        visited.add(dep);
        onPath.add(dep);
        path.push(dep);
        frames.push({ id: dep, next: 0 });
      } else if (onPath.has(dep)) {
        cycles.push(path.slice(path.indexOf(dep)));
      }
    }
  }
  return cycles;
}

/** Dependencies (`after`) and upstream's `before` edges that name no task, and `requires` that names no resource. */
export function orphanRefs(tasks: readonly Task[], index: TaskIndex, resources: ReadonlySet<string> = new Set()): OrphanRef[] {
  const orphans: OrphanRef[] = [];
  for (const task of tasks) {
    for (const to of task.after) if (!index.has(to)) orphans.push({ from: task.id, to, relation: 'after' });
    for (const to of stringListOf(task, 'before')) if (!index.has(to)) orphans.push({ from: task.id, to, relation: 'before' });
    for (const to of stringListOf(task, 'requires')) if (!resources.has(to)) orphans.push({ from: task.id, to, relation: 'requires' });
  }
  for (const orphan of orphans) {
    const suggestion = closestName(orphan.to, orphan.relation === 'requires' ? resources : index.keys());
    if (suggestion) orphan.suggestion = suggestion;
  }
  return orphans;
}

/**
 * Strongly connected components of the `after` edges between regular tasks (upstream leaves out
 * its agency tasks), Tarjan's algorithm (loops.ts). A cycle's entry points are the members reached from
 * outside it; one entry (or none) makes it reducible, and its header is that entry (else the
 * first member by id).
 */
export function structuralCycles(tasks: readonly Task[], index: TaskIndex): StructuralCycle[] {
  const ids = tasks
    .map((t) => t.id)
    .filter((id) => !isSystemTaskId(id))
    .sort();
  const inGraph = new Set(ids);
  const successors = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) {
    for (const dep of index.get(id)?.after ?? []) if (inGraph.has(dep)) successors.get(dep)?.push(id);
  }
  const components = loopsOf(successors);
  return components.map((members) => {
    const inside = new Set(members);
    const entries = members.filter((id) => (index.get(id)?.after ?? []).some((dep) => inGraph.has(dep) && !inside.has(dep)));
    return { header: entries[0] ?? (members[0] as string), members, reducible: entries.length <= 1 };
  });
}

/**
 * `wg check`: upstream's check_all plus its structural cycle analysis and counts; `wrongCounts`: the
 * store's blocker counts that disagree with the rule (dependency-writes.ts wrongBlockerCounts).
 */
export function checkGraph(
  tasks: readonly Task[],
  index: TaskIndex,
  wrongCounts: WrongBlockerCount[] = [],
  others: { resources: ReadonlySet<string>; nodes: number } = { resources: new Set(), nodes: 0 },
): GraphCheck {
  const cycles = findCycles(tasks, index);
  const orphans = orphanRefs(tasks, index, others.resources);
  const stale = tasks
    .filter((t) => t.status === 'open' && t.assigned !== null)
    .map((t) => ({ task_id: t.id, assigned: t.assigned as string }));
  const stuck = tasks
    .filter(
      (t) =>
        t.status === 'blocked' &&
        t.after.length > 0 &&
        t.after.every((dep) => {
          const blocker = index.get(dep);
          return blocker !== undefined && isTerminal(blocker.status);
        }),
    )
    .map((t) => ({ task_id: t.id, after_ids: [...t.after] }));
  const structural = structuralCycles(tasks, index);
  const irreducible = structural.filter((c) => !c.reducible).length;
  return {
    ok: orphans.length === 0 && wrongCounts.length === 0,
    cycles,
    orphan_refs: orphans,
    stale_assignments: stale,
    stuck_blocked: stuck,
    // Upstream counts every node of the graph: its resources too.
    node_count: tasks.length + others.nodes,
    structural_cycles: structural,
    wrong_blocker_counts: wrongCounts,
    warnings: cycles.length + stale.length + stuck.length + irreducible,
    errors: orphans.length + wrongCounts.length,
  };
}
