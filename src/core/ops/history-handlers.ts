import { readServiceState } from '../service-state/state-file';
import { processAlive } from '../processes/process-group';
import type { Handlers } from './context';

/* What ran and what it cost: `wg trace`, `wg runs`, `wg spend`, `wg stats`. */
const trace = () => import('../history/trace');
const exporting = () => import('../history/trace-export');
const importing = () => import('../history/trace-import');
const snapshots = () => import('../history/snapshots');
const spend = () => import('../history/spend');
const stats = () => import('../history/time-stats');

type HistoryOps =
  | 'trace:show'
  | 'trace:export'
  | 'trace:import'
  | 'snapshot:list'
  | 'snapshot:show'
  | 'snapshot:diff'
  | 'snapshot:restore'
  | 'usage:spend'
  | 'usage:stats';

export const historyHandlers: Handlers<HistoryOps> = {
  'trace:show': async ({ task, recursive, timeline }, { store, paths }) => {
    const { traceRecursive, traceTask } = await trace();
    return recursive || timeline ? traceRecursive(store, paths, task) : traceTask(store, paths, task);
  },
  'trace:export': async ({ root, visibility }, { store, paths }) =>
    (await exporting()).exportTrace(store, paths, { root, visibility, now: store.core.clock() }),
  'trace:import': async (input, { paths }) =>
    (await importing()).importTrace(paths.dir, {
      text: input.export,
      file: input.file ?? 'import',
      source: input.source,
      dryRun: input.dryRun ?? false,
    }),
  'snapshot:list': async (_input, { paths, warn }) => (await snapshots()).listSnapshots(paths, warn ?? (() => undefined)),
  'snapshot:show': async ({ id }, { paths }) => (await snapshots()).loadSnapshot(paths, id),
  'snapshot:diff': async ({ id }, { store, paths }) => (await snapshots()).diffSnapshot(store, paths, id),
  'snapshot:restore': async ({ id }, { store, paths }) => (await snapshots()).restoreSnapshot(store, paths, id, store.core.clock()),
  'usage:spend': async ({ today }, { store }) => {
    const { spendReport, todaySpend } = await spend();
    const report = await spendReport(store);
    return today ? todaySpend(report, store.core.clock()) : report;
  },
  'usage:stats': async (_input, { store, paths }) => {
    const state = readServiceState(paths);
    const service = state?.started_at && processAlive(state.pid) ? { startedAt: state.started_at } : null;
    return (await stats()).timeStats(await store.agents.list(), service, store.core.clock());
  },
};
