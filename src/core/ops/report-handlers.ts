import type { CleanupMetrics } from '../../shared/reports';
import type { Task } from '../../shared/task';
import { agingOf } from '../graph/analysis/aging';
import { forecastOf } from '../graph/analysis/forecast';
import { healthReport } from '../graph/analysis/health-report';
import { structureOf } from '../graph/analysis/structure';
import { DEFAULT_WEEKS, velocityOf } from '../graph/analysis/velocity';
import { workloadOf } from '../graph/analysis/workload';
import { inFlight } from '../store/in-flight';
import type { Store } from '../store/store';
import type { Handlers } from './context';

type ReportOps =
  | 'graph:velocity'
  | 'graph:aging'
  | 'graph:workload'
  | 'graph:forecast'
  | 'graph:structure'
  | 'graph:analyze'
  | 'graph:metrics';

/**
 * The whole graph as the reports read it: every task's list item, in one round trip. No report reads a task's
 * description, log, artifacts, results or evaluation (which `wg list` leaves out too), so they are left empty.
 */
async function graphOf(store: Store): Promise<Task[]> {
  return (await store.everySummary()).map((task) => ({ ...task, description: '', log: [], artifacts: [], results: {}, evaluation: null }));
}

/** The ids of the ready tasks, asked for beside the graph (the store's readiness rule: upstream's ready_tasks). */
async function readyIds(store: Store): Promise<Set<string>> {
  return new Set(await store.readyIds());
}

/** The graph's resource nodes (upstream's `requires` names them): kept as other nodes, read as `wg check` reads them. */
async function resourceIds(store: Store): Promise<Set<string>> {
  const others = await store.core.all(store.core.build.selectFrom('other_nodes').select(['id', 'node']));
  return new Set(others.filter((row) => (JSON.parse(row.node) as { kind?: unknown }).kind === 'resource').map((row) => row.id));
}

/**
 * `wg metrics`: upstream counts its clean-ups in the memory of the process that makes them (its service), so the count
 * is of that process's life; here each is counted from what the store keeps of it: a worktree removed (its record
 * stays, marked removed), a recover/ branch kept for a worktree's commits, a run found dead (until `wg dead-agents
 * --purge` forgets it). No clean-up's duration, failure or freed bytes is recorded, so those are not counted.
 */
function cleanupMetrics(
  worktrees: Array<{ owner: string; state: string; recover_branch: string | null }>,
  deadRuns: number,
): CleanupMetrics {
  const removed = worktrees.filter((w) => w.owner === 'agent' && w.state === 'removed').length;
  return {
    cleanup_success: removed,
    cleanup_failure: 0,
    recovery_branches: worktrees.filter((w) => w.recover_branch !== null).length,
    orphaned_cleanups: 0,
    dead_agent_cleanups: deadRuns,
    success_rate_percent: removed > 0 ? 100 : 0,
    timing: {
      avg_cleanup_duration_ms: 0,
      total_cleanup_time_ms: 0,
      timed_operations: 0,
      min_cleanup_duration_ms: 0,
      max_cleanup_duration_ms: 0,
      resource_stats: {
        worktrees_removed: removed,
        symlinks_cleaned: 0,
        directories_removed: 0,
        branches_pruned: 0,
        disk_space_recovered_bytes: 0,
      },
    },
  };
}

export const reportHandlers: Handlers<ReportOps> = {
  'graph:velocity': async ({ weeks }, { store }) => velocityOf(await graphOf(store), weeks ?? DEFAULT_WEEKS, store.core.clock()),
  'graph:aging': async (_input, { store }) => agingOf(await graphOf(store), store.core.clock()),
  // The reads of one report sent before any is awaited, in one read transaction (one commit's state): one round trip to PostgreSQL.
  'graph:workload': async (_input, { store }) =>
    store.core.read(async () => {
      const tasks = inFlight(graphOf(store));
      const ready = inFlight(readyIds(store));
      const identities = inFlight(store.agency.identities());
      // This app keeps no capacity for an agent (upstream's human agents' hours a week): none has a load to show.
      const known = (await identities).map((a) => ({ id: a.id, name: a.name, capacity: null }));
      return workloadOf(await tasks, known, await ready);
    }),
  'graph:forecast': async (_input, { store }) => forecastOf(await graphOf(store), store.core.clock()),
  'graph:structure': async (_input, { store }) => structureOf(await graphOf(store)),
  'graph:analyze': async (_input, { store }) =>
    store.core.read(async () => {
      const tasks = inFlight(graphOf(store));
      const ready = inFlight(readyIds(store));
      const resources = inFlight(resourceIds(store));
      return healthReport(await tasks, await ready, store.core.clock(), await resources);
    }),
  'graph:metrics': async (_input, { store }) =>
    store.core.read(async () => {
      const worktrees = inFlight(store.worktrees.list({ removed: true }));
      const dead = inFlight(store.agents.list({ dead: true }));
      return cleanupMetrics(await worktrees, (await dead).length);
    }),
};
