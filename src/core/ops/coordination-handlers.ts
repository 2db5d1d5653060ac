import { invalid } from '../../shared/errors';
import { coordinationStatus } from '../graph/analysis/coordination';
import { discoverRecent, discoverWindowMs } from '../graph/analysis/discover';
import { indexTasks, stringListOf } from '../graph/analysis/task-index';
import { findTrajectory, suggestTrajectories } from '../graph/analysis/trajectory';
import { matchAgents, trustLevelOf } from '../agent-loop/agent-match';
import { resourceOf, resourceUtilization } from '../graph/analysis/resource-utilization';
import type { Handlers } from './context';

type CoordinationOps = 'graph:coordinate' | 'graph:discover' | 'task:match' | 'task:trajectory' | 'graph:resources';

/*
 * Each report reads what it needs in one go: the reads are all sent before any is awaited, so a team's graph on
 * PostgreSQL answers them in the round trips of the longest one (a whole task is two: its row, then its log and links;
 * test/coordination/ counts them).
 */
export const coordinationHandlers: Handlers<CoordinationOps> = {
  'graph:coordinate': async (_input, { store }) => {
    const [tasks, ready] = await Promise.all([store.list(), store.ready()]);
    return coordinationStatus(tasks, indexTasks(tasks), ready);
  },
  'graph:discover': async ({ since, withArtifacts }, { store }) => {
    const windowMs = discoverWindowMs(since);
    if (windowMs === null) throw invalid(`--since takes a time window such as 24h, 7d or 30m (a bare number is hours), not '${since}'`);
    const done = await store.list({ status: 'done' });
    return discoverRecent(done, store.core.clock().getTime() - windowMs, withArtifacts === true);
  },
  'task:match': async ({ task: id }, { store }) => {
    const [task, identities, extras, working] = await Promise.all([
      store.get(id),
      store.agency.identities(),
      store.agency.extras('agents'),
      store.list({ status: 'in-progress' }),
    ]);
    // Busy: an identity whose task is in progress (upstream's `agent` field of a task, who does it).
    const busy = new Set(working.flatMap((t) => (t.agent === null ? [] : [t.agent])));
    const skills = stringListOf(task, 'skills');
    const agents = identities.map((identity) => ({
      identity,
      trust: trustLevelOf(extras.get(identity.id)?.extra.trust_level),
      busy: busy.has(identity.id),
    }));
    return { task: { id: task.id, title: task.title, skills }, matches: matchAgents(skills, agents) };
  },
  'task:trajectory': async ({ task: id, actor }, { store }) => {
    if (actor !== undefined) {
      // Upstream's --actor suggests from every ready task and leaves TASK aside.
      const [tasks, ready] = await Promise.all([store.list(), store.ready()]);
      return suggestTrajectories(tasks, indexTasks(tasks), ready);
    }
    const [, tasks] = await Promise.all([store.get(id), store.list()]);
    return findTrajectory(tasks, indexTasks(tasks), id);
  },
  'graph:resources': async (_input, { store }) => {
    // The tasks first: their rows' read is sent, and the resources' with it, before either is awaited.
    const [tasks, nodes] = await Promise.all([
      store.list(),
      store.core.all(store.core.build.selectFrom('other_nodes').select(['id', 'node']).orderBy('seq')),
    ]);
    const resources = nodes.flatMap((row) => {
      const resource = resourceOf(row.id, row.node);
      return resource ? [resource] : [];
    });
    const utilization = resourceUtilization(resources, tasks);
    return { resources: utilization, alerts: utilization.filter((u) => u.over_budget) };
  },
};
