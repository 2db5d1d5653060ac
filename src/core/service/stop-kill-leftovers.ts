import { openProjectStore } from '../opening/open-store';
import { storeLocation } from '../config/store-location';
import type { ProjectPaths } from '../project';
import { killAgents } from '../runs/killing/kill-agents';
import { killRuns } from '../processes/kill-runs';
import { heldKilledRuns, releaseKillHolds } from '../runs/killing/kill-holds';
import { strayRuns } from '../runs/watching/reconcile';
import { isStoreUrl } from '../store/postgres/store-url';

/**
 * `wg service stop --kill-agents` once the coordinator is gone: what it did not stop is stopped here. A coordinator
 * that did not answer was sent SIGTERM, which leaves its agents running; one that died in the middle of its kill left
 * runs marked killed whose processes run on. Either way the stop said "agents killed". Their tasks go back to the
 * queue, as the coordinator's own stop leaves them. A team's graph is left alone: which runs were that coordinator's
 * is not known here, and the others take over a lost coordinator's runs themselves.
 * Also `wg service stop --kill-agents` with no coordinator running: the runs a stopped or crashed one left.
 * Returns how many runs were stopped: those still marked at work, and those over whose processes ran on; null on a
 * team's graph, where none is stopped here.
 */
export async function killLeftAgents(paths: ProjectPaths): Promise<number | null> {
  if (isStoreUrl(storeLocation(paths))) return null;
  let store: Awaited<ReturnType<typeof openProjectStore>>['store'];
  try {
    store = (await openProjectStore(paths)).store;
  } catch {
    // A graph that cannot be opened (damaged, say) names no runs: the coordinator's own kill is all there was.
    return 0;
  }
  try {
    const { killed } = await killAgents(store, paths, { all: true, redispatch: true }, 'coordinator');
    const strays = await strayRuns(store, paths);
    // The tasks the coordinator's kill held for its runs go back to the queue once nothing of them is left.
    if (await killRuns(strays)) await releaseKillHolds(store, await heldKilledRuns(store), 'coordinator');
    return killed.length + strays.length;
  } finally {
    await store.close();
  }
}
