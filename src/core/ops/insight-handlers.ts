import type { StatusReport } from '../../shared/insight';
import { isSystemTaskId } from '../../shared/task';
import { DEFAULT_SETTINGS } from '../config/settings';
import { endedUnjudged } from '../runs/killing/dead-agents';
import { processAlive } from '../processes/process-group';
import { readServiceState } from '../service-state/state-file';
import { directBlockers, whyBlocked } from '../graph/analysis/blocking';
import { bottlenecks } from '../graph/analysis/bottlenecks';
import { criticalPath } from '../graph/analysis/critical-path';
import { checkGraph } from '../graph/analysis/graph-check';
import { wrongBlockerCounts } from '../store/dependency-writes';
import { danglingDeps, formatUptime, needingYou, failedTasks, recentActivity, taskSummary } from '../graph/analysis/status-summary';
import { dependentsContext, taskContext } from '../graph/analysis/task-context';
import { needsYouSetupOf } from './needs-you-read';
import { opConfig } from './op-config';
import { inFlight } from '../store/in-flight';
import { needsYouFacts } from '../../shared/needs-you';
import { taskCost } from '../graph/analysis/task-cost';
import { cyclesReport } from '../graph/analysis/cycles-report';
import { impactOf } from '../graph/analysis/impact';
import { fitWithin, projectSummary } from '../graph/analysis/plan-fit';
import { renderHtmlSite } from '../graph/analysis/html-site';
import { writeHtmlSite, sourceTitleFor } from './html-output';
import { parseAge } from '../../shared/durations';
import { invalid } from '../../shared/errors';
import { indexTasks } from '../graph/analysis/task-index';
import type { Store } from '../store/store';
import type { Handlers, OpContext } from './context';

type InsightOps =
  | 'graph:status'
  | 'task:context'
  | 'task:blocked'
  | 'task:whyBlocked'
  | 'graph:check'
  | 'task:cost'
  | 'graph:criticalPath'
  | 'graph:bottlenecks'
  | 'graph:cycles'
  | 'task:impact'
  | 'graph:plan'
  | 'graph:html';

/** The whole graph (system tasks too: they hold regular tasks back) and its index, read once. */
async function graphOf(store: Store) {
  const tasks = await store.list();
  return { tasks, index: indexTasks(tasks) };
}

/** The graph, after checking the task asked about is in it (the usual "no task" line otherwise). */
async function graphWith(store: Store, id: string) {
  await store.get(id);
  return graphOf(store);
}

const secondsSince = (iso: string, now: Date) => (now.getTime() - Date.parse(iso)) / 1000;

/** `wg status`: upstream's one screen, from the store, config.toml and the coordinator's state file. */
async function statusReport(ctx: OpContext, all: boolean): Promise<StatusReport> {
  const { store, paths } = ctx;
  // The settings once, for the coordinator's line and the person's part: the coordinator's own where it runs.
  const config = inFlight(opConfig(ctx));
  const now = store.core.clock();
  const state = readServiceState(paths);
  const running = state !== null && processAlive(state.pid);
  // An unreadable config.toml: `wg config` names the problem; the overview still shows the rest.
  const coordinator = (await config).settings?.coordinator ?? DEFAULT_SETTINGS.coordinator;
  const overrides = running ? state.overrides : {};
  // Only the runs it counts (at work, dead), not every run the project ever had, which grows with its age.
  const agents = await store.agents.list({ working: true, dead: true });
  const working = agents.filter((a) => a.state === 'working');
  // A run whose command has ended by itself is not alive, though the store calls it working until it is judged.
  const ended = new Map(
    working.flatMap((a) => {
      const status = endedUnjudged(a);
      return status === null ? [] : [[a.id, status] as const];
    }),
  );
  const { tasks, index } = await graphOf(store);
  const ready = new Set((await store.ready()).map((t) => t.id));
  const facts = needsYouFacts(tasks, ready, needsYouSetupOf(await config));
  const waiting = needingYou(tasks, facts, all);
  const failed = failedTasks(tasks, all);
  const dangling = danglingDeps(
    tasks.filter((t) => all || !isSystemTaskId(t.id)),
    index,
  );
  return {
    service: running
      ? {
          running: true,
          pid: state.pid,
          uptime: state.started_at ? formatUptime(secondsSince(state.started_at, now)) : null,
          socket: state.socket,
        }
      : { running: false, pid: null, uptime: null, socket: null },
    coordinator: {
      max_agents: overrides.maxAgents ?? coordinator.max_agents,
      executor: overrides.executor ?? coordinator.executor,
      model: overrides.model ?? coordinator.model,
      poll_interval: coordinator.poll_interval,
    },
    agents: {
      alive: working.length - ended.size,
      dead: agents.filter((a) => a.state === 'dead').length,
      active: working.map((a) => ({
        id: a.id,
        task_id: a.task_id,
        uptime: formatUptime(secondsSince(a.started_at, now)),
        status: ended.has(a.id) ? `ended (exit ${ended.get(a.id)}), not judged yet` : 'working',
      })),
    },
    tasks: taskSummary(tasks, index, ready, now, all, new Set(waiting.map((n) => n.task_id))),
    recent: recentActivity(tasks, all),
    ...(dangling.length > 0 ? { dangling_deps: dangling } : {}),
    ...(waiting.length > 0 ? { needs_you: waiting } : {}),
    ...(failed.length > 0 ? { failed } : {}),
  };
}

/**
 * `wg status` as a run's credential reads it (a job on an agent daemon, an HTTP agent service): the project's work,
 * without the coordinator's set-up (its process, socket and settings, the list of runs), which such a run may not
 * read (run-authority.ts).
 */
function withoutSetUp(report: StatusReport): StatusReport {
  return {
    ...report,
    service: { running: report.service.running, pid: null, uptime: null, socket: null },
    coordinator: { max_agents: 0, executor: '', model: null, poll_interval: 0 },
    agents: { alive: report.agents.alive, dead: report.agents.dead, active: [] },
  };
}

export const insightHandlers: Handlers<InsightOps> = {
  'graph:status': async ({ all }, ctx) => {
    const report = await statusReport(ctx, all === true);
    return ctx.agent?.credential === true ? withoutSetUp(report) : report;
  },
  'task:context': async ({ task, dependents }, { store }) => {
    const { tasks, index } = await graphWith(store, task);
    return dependents ? dependentsContext(tasks, index, task) : taskContext(index, task);
  },
  'task:blocked': async ({ id }, { store }) => directBlockers((await graphWith(store, id)).index, id),
  'task:whyBlocked': async ({ id }, { store }) => whyBlocked((await graphWith(store, id)).index, id),
  'graph:check': async (_input, { store }) => {
    const { tasks, index } = await graphOf(store);
    const others = await store.core.all(store.core.build.selectFrom('other_nodes').select(['id', 'node']));
    const resources = new Set(
      others.filter((row) => (JSON.parse(row.node) as { kind?: unknown }).kind === 'resource').map((row) => row.id),
    );
    return checkGraph(tasks, index, await wrongBlockerCounts(store.core), { resources, nodes: others.length });
  },
  'task:cost': async ({ id }, { store }) => taskCost((await graphWith(store, id)).index, id),
  'graph:criticalPath': async (_input, { store }) => criticalPath(await store.list()),
  'graph:bottlenecks': async (_input, { store }) => bottlenecks(await store.list()),
  'graph:cycles': async (_input, { store }) => {
    const { tasks, index } = await graphOf(store);
    return cyclesReport(tasks, index);
  },
  'task:impact': async ({ id }, { store }) => {
    const { tasks, index } = await graphWith(store, id);
    return impactOf(tasks, index, id);
  },
  'graph:plan': async ({ budget, hours }, { store }) => {
    const [{ tasks, index }, ready] = await Promise.all([graphOf(store), store.ready()]);
    const readyIds = new Set(ready.map((t) => t.id));
    return {
      summary: projectSummary(tasks, readyIds),
      ...(budget === undefined ? {} : { budget_plan: { budget, ...fitWithin(tasks, index, readyIds, budget, 'cost') } }),
      ...(hours === undefined ? {} : { hours_plan: { hours, ...fitWithin(tasks, index, readyIds, hours, 'hours') } }),
    };
  },
  'graph:html': async ({ out, publicOnly, since }, { store, paths }) => {
    const now = store.core.clock();
    const seconds = since === undefined ? null : parseAge(since);
    if (since !== undefined && seconds === null) throw invalid(`--since takes a time window such as 1h, 24h, 7d or 30d, not '${since}'`);
    const site = renderHtmlSite(await store.list(), {
      showAll: publicOnly !== true,
      ...(since !== undefined && seconds !== null ? { since: { fromMs: now.getTime() - seconds * 1000, label: since } } : {}),
      sourceTitle: sourceTitleFor(paths.root),
      now,
    });
    const outDir = writeHtmlSite(out, site.files);
    return {
      out_dir: outDir,
      total_in_graph: site.total_in_graph,
      public_count: site.public_count,
      pages_written: site.pages_written,
      show_all: publicOnly !== true,
      since: since ?? null,
    };
  },
};
