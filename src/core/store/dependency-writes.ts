import { type Expression, sql } from 'kysely';
import type { TaskStatus } from '../../shared/task';
import { AWAITING_EVALUATION, isSystemTaskId } from '../../shared/task';
import { invalid, WgError } from '../../shared/errors';
import type { WrongBlockerCount } from '../../shared/insight';
import { describeCycle, findCycle } from '../graph/cycle';
import {
  dependencyBlocks,
  evaluatedTaskOf,
  evaluationTaskOf,
  isTerminal,
  satisfiesDependency,
  type DependencyView,
} from '../graph/readiness';
import type { StoreCore } from './store-core';
import { dependencyEdgesFrom, findTaskState, requireTaskRow } from './task-reads';

/*
 * Dependency edges and the blocker counts they move, inside one `core.write` transaction. The
 * common changes (a regular task done, an edge added) move counts by one; those whose count depends on the
 * dependent (upstream's evaluation rules: awaiting evaluation, failed) recount the tasks concerned with the SQL rule.
 */

/** `.evaluate-<id>` exists and is not terminal: regular dependents of `id` wait for it. */
export async function evaluationPending(core: StoreCore, id: string): Promise<boolean> {
  if (isSystemTaskId(id)) return false;
  const gate = await findTaskState(core, evaluationTaskOf(id));
  return gate !== undefined && !isTerminal(gate.status);
}

/** Marked done while its agent worked, `id` has that work still to merge (core.ready.workToMerge): every dependent waits. */
async function workToMerge(core: StoreCore, id: string): Promise<boolean> {
  return (await core.get(sql`SELECT 1 AS found WHERE ${core.ready.workToMerge(id)}`)) !== undefined;
}

/**
 * Recounts the blockers of the dependents of `id` by the whole rule, in SQL. Also for a change the rule reads that is
 * not a status (a worktree's work to merge coming or going: worktree-records.ts).
 */
export async function recountDependentsOf(core: StoreCore, id: string, rev: number): Promise<void> {
  await core.send(dependentsOf(core, id).set({ blockers: core.ready.blockersOfRow, rev }));
}

/** An UPDATE of the tasks that depend on `id` (what to set is the caller's). */
function dependentsOf(core: StoreCore, id: string) {
  return core.build.updateTable('tasks').where('id', 'in', (eb) => eb.selectFrom('deps').select('task_id').where('dep_id', '=', id));
}

/** An UPDATE of one task's blocker count, `by` more (+) or fewer (-). */
function stepBlockers(core: StoreCore, task: string, op: '+' | '-', by: number, rev: number) {
  return core.build
    .updateTable('tasks')
    .set((eb) => ({ blockers: eb('blockers', op, by), rev }))
    .where('id', '=', task);
}

/** Every task whose kept blocker count is not what the rule gives (`wg check`). */
export async function wrongBlockerCounts(core: StoreCore): Promise<WrongBlockerCount[]> {
  return core.all(
    sql<WrongBlockerCount>`SELECT task_id, counted, expected FROM (SELECT id AS task_id, seq, blockers AS counted, ${core.ready.blockersOfRow} AS expected FROM tasks) AS counts
       WHERE counted <> expected ORDER BY seq`,
  );
}

/** Recounts the tasks whose kept count is wrong (`wg check --db --repair`); how many there were. */
export async function recountWrong(core: StoreCore, rev: number): Promise<number> {
  const expected: Expression<number> = core.ready.blockersOfRow;
  return (await core.run(core.build.updateTable('tasks').set({ blockers: expected, rev }).where('blockers', '<>', expected))).changes;
}

/** Recounts every task's blockers (after an import). */
export async function recountAll(core: StoreCore): Promise<void> {
  await core.send(core.build.updateTable('tasks').set({ blockers: core.ready.blockersOfRow }));
}

/**
 * How a status counts for dependents: alike for all of them, or by which dependent it is (statusLetsGo: awaiting
 * evaluation lets system dependents go, failed lets the task's own `.evaluate-X` go).
 */
function standing(status: TaskStatus): 'satisfied' | 'by-dependent' | 'blocking' {
  if (satisfiesDependency(status)) return 'satisfied';
  return AWAITING_EVALUATION.includes(status) || status === 'failed' ? 'by-dependent' : 'blocking';
}

/** A status change of `id` moves the blocker counts of its dependents (and, for `.evaluate-X`, those of X's). */
export async function updateDependents(core: StoreCore, id: string, from: TaskStatus, to: TaskStatus, rev: number): Promise<void> {
  const evaluated = evaluatedTaskOf(id);
  if (evaluated !== null && isTerminal(from) !== isTerminal(to)) {
    await recountDependentsOf(core, evaluated, rev);
    // A task after both X and `.evaluate-X` was just recounted with this change in: a step of one on
    // top would count `.evaluate-X` twice (its count went to -1, and it never became ready).
    await recountDependentsOf(core, id, rev);
    return;
  }
  // Work still to merge belongs to the done that no longer stands: it holds nothing more, and the dependents that it
  // held are counted again. The sync sets it only as the task becomes done, so a task becoming done has none, and the
  // step below needs no look at it (a run's done costs nothing more).
  if (from === 'done' && to !== 'done' && (await letGoWorkToMerge(core, id, rev))) {
    await recountDependentsOf(core, id, rev);
    return;
  }
  const before = standing(from);
  const after = standing(to);
  if (before === after && before !== 'by-dependent') return;
  // Counted by which dependent it is (failed → pending-eval lets a `.flip-X` go that failed held back): recounted.
  if (before === 'by-dependent' || after === 'by-dependent') {
    await recountDependentsOf(core, id, rev);
    return;
  }
  const step = after === 'satisfied' ? -1 : 1;
  if (isSystemTaskId(id)) {
    await core.send(dependentsOf(core, id).set((eb) => ({ blockers: eb('blockers', '+', step), rev })));
    return;
  }
  // While its `.evaluate-X` is pending the dependents are recounted by the whole rule, else moved by one: told apart
  // by the statement itself, so the change needs no read before it (and, on PostgreSQL, travels with the next one).
  await core.send(
    dependentsOf(core, id).set({
      blockers: sql<number>`CASE WHEN ${core.ready.evaluationPending(evaluationTaskOf(id))} THEN ${core.ready.blockersOfRow} ELSE blockers + ${step} END`,
      rev,
    }),
  );
}

/** Clears the task's work to merge (core.ready.workToMerge), if it had any: whether it had. */
async function letGoWorkToMerge(core: StoreCore, id: string, rev: number): Promise<boolean> {
  const cleared = await core.run(
    core.build.updateTable('worktrees').set({ merge_at_end: 0, rev }).where('task_id', '=', id).where('merge_at_end', '=', 1),
  );
  return cleared.changes > 0;
}

/** A dependency as the rules see it (graph/readiness.ts), read from the store; a null status: not in the graph. */
export async function dependencyView(core: StoreCore, dependency: { id: string; status: TaskStatus | null }): Promise<DependencyView> {
  return {
    id: dependency.id,
    status: dependency.status,
    evaluationPending: await evaluationPending(core, dependency.id),
    workToMerge: dependency.status === 'done' && (await workToMerge(core, dependency.id)),
  };
}

async function blocks(core: StoreCore, task: string, dependency: { id: string; status: TaskStatus }): Promise<number> {
  return dependencyBlocks(await dependencyView(core, dependency), task) ? 1 : 0;
}

/** `newTask`: the task was just inserted, has no dependents, so no cycle is possible and the walk is skipped. */
export async function linkDependency(core: StoreCore, task: string, dependency: string, rev: number, newTask = false): Promise<boolean> {
  const dep = await requireTaskRow(core, dependency);
  await requireTaskRow(core, task);
  const linked = await core.get(
    core.build.selectFrom('deps').select(sql.lit(1).as('one')).where('task_id', '=', task).where('dep_id', '=', dependency),
  );
  if (linked) return false;
  const cycle = newTask ? null : findCycle(task, dependency, await dependencyEdgesFrom(core, dependency));
  if (cycle) throw new WgError('cycle', describeCycle(cycle));
  await core.send(core.build.insertInto('deps').values({ task_id: task, dep_id: dependency }));
  await core.send(stepBlockers(core, task, '+', await blocks(core, task, dep), rev));
  return true;
}

export async function unlinkDependency(core: StoreCore, task: string, dependency: string, rev: number): Promise<void> {
  await requireTaskRow(core, task);
  const loose = await core.get(
    core.build.selectFrom('loose_deps').select('kind').where('task_id', '=', task).where('dep_id', '=', dependency),
  );
  if (loose) {
    await core.send(core.build.deleteFrom('loose_deps').where('task_id', '=', task).where('dep_id', '=', dependency));
    await core.send(stepBlockers(core, task, '-', loose.kind === 'missing' ? 1 : 0, rev));
    return;
  }
  const dep = await requireTaskRow(core, dependency);
  const counted = await blocks(core, task, dep);
  const removed = await core.run(core.build.deleteFrom('deps').where('task_id', '=', task).where('dep_id', '=', dependency));
  if (removed.changes === 0) throw invalid(`'${task}' does not depend on '${dependency}'`);
  await core.send(stepBlockers(core, task, '-', counted, rev));
}

/** Dependencies of `id` kept from an import that are not edges (an id not in the graph, an upstream cycle's back edge). */
export async function looseDependenciesOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.all(core.build.selectFrom('loose_deps').select('dep_id').where('task_id', '=', id))).map((r) => r.dep_id);
}

/**
 * A task now exists under `id`: dependencies that named it before it existed become real edges
 * (they blocked as missing; they block now as not done). A new `.evaluate-X` gates X's dependents.
 */
export async function taskAppeared(core: StoreCore, id: string, rev: number): Promise<void> {
  for (const { task_id } of await core.all(
    core.build.selectFrom('loose_deps').select('task_id').where('dep_id', '=', id).where('kind', '=', 'missing'),
  )) {
    await unlinkDependency(core, task_id, id, rev);
    await linkDependency(core, task_id, id, rev);
  }
  const evaluated = evaluatedTaskOf(id);
  if (evaluated !== null) await recountDependentsOf(core, evaluated, rev);
}

/** A dependency on an id not in the graph yet (a paused task's, checked when it is published): it blocks, as upstream's. */
export async function addMissingDependency(core: StoreCore, task: string, dependency: string, rev: number): Promise<void> {
  const { changes: added } = await core.run(
    core.build
      .insertInto('loose_deps')
      .values({ task_id: task, dep_id: dependency, kind: 'missing' })
      .onConflict((oc) => oc.doNothing()),
  );
  await core.send(stepBlockers(core, task, '+', added, rev));
}

/** Dependencies of `id` on tasks still not in the graph; a peer graph's `peer:task` is checked where it resolves (upstream's rule). */
export async function danglingDependenciesOf(core: StoreCore, id: string): Promise<string[]> {
  return (
    await core.all(
      core.build
        .selectFrom('loose_deps')
        .select('dep_id')
        .where('task_id', '=', id)
        .where('kind', '=', 'missing')
        .where(core.fn.position(sql.ref('dep_id'), ':'), '=', 0)
        .orderBy('dep_id'),
    )
  ).map((r) => r.dep_id);
}
