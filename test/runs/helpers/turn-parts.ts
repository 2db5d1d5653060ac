import { join } from 'node:path';
import { gateCheck } from '../../../src/core/store/agency/gate-entry';
import { ConfigView } from '../../../src/core/config/config-view';
import type { SettleAction } from '../../../src/core/deciding/scheduler-types';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { type Claimed, claimTasks } from '../../../src/core/runs/claiming/claim';
import { AgentJudge } from '../../../src/core/runs/judging/agent-judge';
import { derivedRecord, LaunchRecords } from '../../../src/core/runs/run-views';
import { type SettleRead, settle } from '../../../src/core/runs/settling/settle';
import type { Store } from '../../../src/core/store/store';
import type { TasksRead } from '../../../src/core/store/task-reads';

/**
 * What a coordinator's turn works with, on a test's store (its folder `dir`): the project's paths and settings, the
 * runs' launch records, claims as a turn makes them, and a judge that settles the runs it judges as the engine does
 * (`seen` is told of each settle action and the turn's read it was given).
 */
export async function turnParts(
  t: { store: Store; dir: string },
  seen: (action: SettleAction, read: SettleRead | undefined) => void = () => undefined,
) {
  const { store } = t;
  const paths = projectPaths(join(t.dir, '.workgraph'));
  ensureProjectDirs(paths);
  const config = await ConfigView.open(paths, {}, () => undefined);
  const records = new LaunchRecords(
    (id) => store.agents.launchRecord(id),
    (agent) => derivedRecord(agent, config.now()),
    (id) => store.agents.find(id),
  );
  /**
   * These tasks claimed in one batch (`byHand`: a blocked one too), their launch records kept; throws a refusal. `known`:
   * the tasks as the turn read them whole (TickState.whole).
   */
  const claim = async (ids: readonly string[], byHand = false, known: TasksRead | null = null): Promise<Claimed[]> => {
    const claimed = await store.core.batch(async () =>
      (
        await claimTasks(
          store,
          paths,
          await config.current(),
          ids.map((taskId) => ({ taskId, byHand, apiUrl: null, apiToken: null, hostEnv: {} })),
          undefined,
          known,
        )
      ).map((outcome) => {
        if (!outcome.ok) throw outcome.error;
        return outcome.claimed;
      }),
    );
    for (const run of claimed) records.set(run.agent.id, run.record);
    return claimed;
  };
  const gate = gateCheck((await config.current()).settings, (await config.current()).profiles);
  const judge = new AgentJudge({
    store,
    paths,
    records,
    config,
    env: {},
    log: { info: () => undefined, error: () => undefined },
    perform: async (actions, read) => {
      for (const action of actions) {
        seen(action as SettleAction, read);
        await settle(store, action as SettleAction, gate, read);
      }
    },
    wake: () => undefined,
    stopping: () => false,
    paused: () => false,
    runInternal: () => Promise.reject(new Error('no internal runs here')),
    gate: () => gate,
  });
  return { paths, config, records, claim, judge };
}
