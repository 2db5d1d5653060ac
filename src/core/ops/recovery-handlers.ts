import type { Agent } from '../../shared/agent';
import { parseAge } from '../../shared/durations';
import { invalid } from '../../shared/errors';
import type { OrphanedTask, ReapResult } from '../../shared/recovery';
import { deadAgents } from '../runs/killing/dead-agents';
import type { Store } from '../store/store';
import type { Handlers } from './context';

type RecoveryOps = 'agent:reap' | 'graph:sweep';

/** The tasks a run still claims: in progress on it, or open with it as the assignee (what a sweep would requeue). */
const CLAIMING = ['in-progress', 'open'] as const;

/**
 * `wg reap`'s choice: the dead runs (upstream's Dead; a done or failed run is its task's record here and stays) that
 * ended at least `minAgeMs` ago (upstream's completed_at, else its last heartbeat; a time that cannot be read counts as
 * old enough, as upstream's); of them, one whose task is still claimed by it stays, so its task is not left held by a
 * run nobody knows (`wg sweep` or `wg dead-agents --cleanup` requeues it first). Two reads sent together.
 */
async function reapable(store: Store, minAgeMs: number | null): Promise<{ reaped: Agent[]; holding: string[] }> {
  const [dead, claims] = await Promise.all([
    store.agents.list({ dead: true }),
    store.core.all(
      store.core.build.selectFrom('tasks').select('assigned').where('status', 'in', CLAIMING).where('assigned', 'is not', null),
    ),
  ]);
  const now = store.core.clock().getTime();
  const old = dead.filter((run) => {
    if (minAgeMs === null) return true;
    const at = Date.parse(run.ended_at ?? run.last_heartbeat ?? run.started_at);
    return Number.isNaN(at) || now - at >= minAgeMs;
  });
  const claimed = new Set(claims.map((row) => row.assigned));
  return { reaped: old.filter((run) => !claimed.has(run.id)), holding: old.filter((run) => claimed.has(run.id)).map((run) => run.id) };
}

function reapResult({ reaped, holding }: { reaped: Agent[]; holding: string[] }, dryRun: boolean): ReapResult {
  return {
    dry_run: dryRun,
    count: reaped.length,
    dead: reaped.length,
    done: 0,
    failed: 0,
    agents: reaped.map((run) => ({ id: run.id, task_id: run.task_id, status: 'dead', completed_at: run.ended_at })),
    ...(holding.length > 0 ? { still_holding: holding } : {}),
  };
}

/**
 * The tasks a run not at work still claims, with upstream's reason (its `InProgress task; agent 'X' …`): a run the
 * store has ended (dead, done, failed, killed), or one it calls working whose process is gone (`dead`: what
 * `wg dead-agents` finds, with its reason). A claim by a name that is no run here (a person's) is not one.
 */
async function orphanedTasks(store: Store, dead: readonly Agent[]): Promise<OrphanedTask[]> {
  const claims = await store.core.all(
    store.core.build
      .selectFrom('tasks as t')
      .innerJoin('agents as a', 'a.id', 't.assigned')
      .where('t.status', 'in', CLAIMING)
      .select(['t.id', 't.title', 't.status', 'a.id as agent', 'a.state'])
      .orderBy('t.seq'),
  );
  const deadWhy = new Map(dead.map((run) => [run.id, run.reason]));
  return claims.flatMap((claim) => {
    const found = claim.state === 'working' && deadWhy.has(claim.agent);
    if (claim.state === 'working' && !found) return [];
    const label = claim.status === 'in-progress' ? 'InProgress' : 'Open';
    const why = deadWhy.get(claim.agent);
    const state = found
      ? `is dead${why ? ` (${why})` : ''}`
      : claim.state === 'dead'
        ? `is marked dead${why ? ` (${why})` : ''}`
        : `has ended (${claim.state})`;
    return [
      { task_id: claim.id, title: claim.title, assigned_agent: claim.agent, reason: `${label} task; agent '${claim.agent}' ${state}` },
    ];
  });
}

export const recoveryHandlers: Handlers<RecoveryOps> = {
  'agent:reap': async ({ dryRun, olderThan }, { store }) => {
    const seconds = olderThan === undefined ? null : parseAge(olderThan);
    if (olderThan !== undefined && seconds === null)
      throw invalid(`--older-than takes a duration such as 30s, 5m, 1h, 7d or 2w (a bare number is seconds), not '${olderThan}'`);
    const minAgeMs = seconds === null ? null : seconds * 1000;
    if (dryRun) return reapResult(await reapable(store, minAgeMs), true);
    // The choice and the forgetting in one transaction: a run that starts holding a task meanwhile is not forgotten.
    return store.core.write(async () => {
      const chosen = await reapable(store, minAgeMs);
      await store.agents.purgeDead(chosen.reaped.map((run) => run.id));
      return reapResult(chosen, false);
    });
  },
  'graph:sweep': async ({ dryRun }, { store, paths, actor }) => {
    // `wg dead-agents`'s check (it writes nothing): the runs it calls dead, those it finds dead now with their reason.
    const check = await deadAgents(store, paths, {}, actor);
    const orphaned = await orphanedTasks(store, check.dead);
    if (dryRun) return { dry_run: true, orphaned_count: orphaned.length, orphaned, fixed: [], errors: [] };
    // `wg dead-agents --cleanup`: what a dead run left running is stopped first, then in one transaction the runs are
    // marked dead and their tasks requeued (a task whose run could not be stopped is not: it would run twice).
    const cleanup = await deadAgents(store, paths, { cleanup: true }, actor);
    const fixed = 'tasks_unclaimed' in cleanup ? cleanup.tasks_unclaimed : [];
    const errors = 'errors' in cleanup ? cleanup.errors : [];
    return { dry_run: false, orphaned_count: orphaned.length, orphaned, fixed, errors };
  },
};
