import type { Task } from '../../../shared/task';
import type { CyclesReport } from '../../../shared/planning';
import { structuralCycles } from './graph-check';
import { backEdgesFrom } from './loops';
import type { TaskIndex } from './task-index';

/**
 * `wg cycles` (upstream's cycles command): each loop of the `after` edges between regular tasks, its header and
 * whether it is reducible (graph-check.ts structuralCycles, as `wg check` names them), and the back edges a
 * depth-first walk from each header finds closing onto its path, as upstream's cycle analysis chooses them (and
 * as an import keeps them, so they hold no task back).
 */
export function cyclesReport(tasks: readonly Task[], index: TaskIndex): CyclesReport {
  const loops = structuralCycles(tasks, index);
  const successors = new Map<string, string[]>();
  for (const task of [...tasks].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    for (const dep of task.after) {
      const out = successors.get(dep);
      if (out) out.push(task.id);
      else successors.set(dep, [task.id]);
    }
  }
  for (const list of successors.values()) list.sort();
  return {
    cycle_count: loops.length,
    cycles: loops.map((loop) => ({
      header: loop.header,
      members: loop.members,
      member_count: loop.members.length,
      reducible: loop.reducible,
      member_statuses: loop.members.map((id) => {
        const task = index.get(id);
        return { id, status: task?.status ?? 'unknown', title: task?.title ?? '' };
      }),
    })),
    back_edges: loops.flatMap((loop) => backEdgesFrom(loop.header, new Set(loop.members), successors).map(([from, to]) => ({ from, to }))),
  };
}
