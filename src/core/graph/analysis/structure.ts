import type { Task } from '../../../shared/task';
import type { StructureReport } from '../../../shared/reports';
import { dependentsIndex } from './task-index';
import { transitiveCounts } from './transitive-counts';

/** Upstream's guess that a task nothing waits on is meant to be last: done, or named like a deliverable. */
export function looksFinal(
  task: Pick<Task, 'id' | 'title' | 'status'>,
  words: { id: readonly string[]; title: readonly string[] },
): boolean {
  const id = task.id.toLowerCase();
  const title = task.title.toLowerCase();
  return words.id.some((w) => id.includes(w)) || words.title.some((w) => title.includes(w));
}

/** `wg structure`'s words (a meeting is a deliverable there; `wg analyze` leaves meetings out). */
const STRUCTURE_FINAL = {
  id: ['deploy', 'release', 'doc', 'meeting', 'final'],
  title: ['deploy', 'release', 'documentation', 'meeting', 'final'],
};

/** Tasks at least this many others wait on, transitively, are high-impact roots. */
const HIGH_IMPACT = 5;

/**
 * `wg structure` (upstream's): entry points (no dependencies), dead ends (nothing depends on them), and the
 * tasks five or more others wait on, transitively, most first.
 */
export function structureOf(tasks: readonly Task[]): StructureReport {
  const dependents = dependentsIndex(tasks);
  const waiting = transitiveCounts(tasks);
  return {
    entry_points: tasks.filter((t) => t.after.length === 0).map((t) => t.id),
    dead_ends: tasks
      .filter((t) => (dependents.get(t.id)?.length ?? 0) === 0)
      .map((t) => {
        const expected = t.status === 'done' || looksFinal(t, STRUCTURE_FINAL);
        return { id: t.id, status: t.status, expected, warning: !expected && t.status === 'open' };
      }),
    high_impact_roots: tasks
      .map((t) => ({ id: t.id, transitive_dependents: waiting.get(t.id) ?? 0 }))
      .filter((row) => row.transitive_dependents >= HIGH_IMPACT)
      .sort((a, b) => b.transitive_dependents - a.transitive_dependents),
  };
}
