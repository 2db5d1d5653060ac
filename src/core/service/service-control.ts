import type { AgentDaemonService } from '../agent-daemons/agent-daemon-service';
import type { Engine } from '../coordinator/engine';
import { databaseAwayError, type DatabaseOutage } from '../database-outage/database-outage';
import type { OpContext, ServiceControl } from '../ops/context';
import { dispatch } from '../ops/dispatch';
import type { ProjectPaths } from '../project';
import { readServiceState, writeServiceState } from '../service-state/state-file';
import type { Store } from '../store/store';
import { ops, type OpName, type OpOutput } from '../../shared/ops/registry';
import type { ServiceStatus } from '../../shared/service-types';
import type { ServiceLog } from './service-log';

/** Operations that write config.toml (settings, executor profiles, models). */
const CONFIG_OP = /^(config|executor|model):/;

/** An operation run on this coordinator, as any of its doors (IPC, HTTP, a window) asks for it. */
export type RunOp = <N extends OpName>(
  name: N,
  input: unknown,
  actor: string,
  agent?: OpContext['agent'],
  person?: OpContext['person'],
  warn?: OpContext['warn'],
) => Promise<OpOutput<N>>;

/** What the operations may ask of the running coordinator (pause, reload, spawn…). */
export function serviceControl(p: {
  store: Store;
  paths: ProjectPaths;
  engine: Engine;
  agentDaemons: AgentDaemonService;
  status: () => Promise<ServiceStatus>;
}): ServiceControl {
  return {
    status: p.status,
    // A revision of its own tells every window (and `wg` watcher) that the state changed.
    pause: async () => {
      p.engine.pause();
      await p.store.core.write(async () => undefined);
    },
    resume: async () => {
      p.engine.resume();
      await p.store.core.write(async () => undefined);
    },
    reload: async (overrides) => {
      await p.engine.reload(overrides);
      // `wg service restart` restarts it as it runs now: with the flags of this reload.
      const state = readServiceState(p.paths);
      if (state?.pid === process.pid) writeServiceState(p.paths, { ...state, overrides: p.engine.config.serviceOverrides });
    },
    spawn: (taskId, override, by) => p.engine.spawn(taskId, override, by),
    evaluate: (taskId, evaluatorModel) => p.engine.evaluate(taskId, evaluatorModel),
    chat: (message, timeoutS) => p.engine.chat(message, timeoutS),
    agentDaemonsStatus: () => p.agentDaemons.status(),
  };
}

/** Runs an operation here: its context, a database away said in one line, and a change to config.toml seen at once. */
export function opRunner(p: {
  store: Store;
  paths: ProjectPaths;
  log: ServiceLog;
  engine: Engine;
  outage: DatabaseOutage;
  control: ServiceControl;
}): RunOp {
  return async <N extends OpName>(
    name: N,
    input: unknown,
    actor: string,
    agent?: OpContext['agent'],
    person?: OpContext['person'],
    warn?: OpContext['warn'],
  ) => {
    // A request's warnings ("No changes made…") are its caller's, sent back with the answer as a local `wg` prints
    // them; not this coordinator's errors (`service status` lists those). Kept in the log when no caller asked.
    const told = warn ?? ((m: string) => p.log.info(`${actor}'s ${name}: ${m}`));
    const ctx: OpContext = {
      store: p.store,
      paths: p.paths,
      actor,
      agent,
      person,
      service: p.control,
      warn: told,
      config: () => p.engine.config.current(),
    };
    let result: OpOutput<N>;
    try {
      result = await dispatch(name, input, ctx);
    } catch (error) {
      // Said once, and shown in the status; the caller is told in one line, a caller elsewhere without the server's address.
      if (p.outage.noted(error)) throw databaseAwayError(error);
      throw error;
    }
    // A change to config.toml made here is seen by the very next turn (the agent daemons' dispatcher's comes
    // right after the next commit), never a cached copy read just before it.
    if (ops[name].kind !== 'query' && CONFIG_OP.test(name)) p.engine.config.recheck();
    return result;
  };
}
