import { runsOnStore } from '../shared/ops/define';
import { ops, type OpName, type OpOutput } from '../shared/ops/registry';
import { locateProject, type ProjectPaths } from '../core/project';
import { WgError } from '../shared/errors';

export interface GlobalOptions {
  dir?: string;
  json?: boolean;
}

function actorFromEnv(): string {
  return process.env.WG_AGENT_ID || 'user';
}

/** The agent run this `wg` runs in (an agent's tool calls carry WG_AGENT_ID and WG_RUN_ID), if any. */
export function agentFromEnv(): { id: string; runId: string | null } | undefined {
  const id = process.env.WG_AGENT_ID;
  return id ? { id, runId: process.env.WG_RUN_ID || null } : undefined;
}

/**
 * A command that is no operation (init, the service's and the agent daemon's own commands, a repair)
 * is not seen by run-authority.ts, which holds a run to its own task: from a run's environment (a
 * local run's WG_RUN_ID, a daemon job's relay) it is refused here, since none of them is a run's
 * business (least authority). `what`: what it would do, in a few words.
 */
export function refuseFromRun(what: string): void {
  if (process.env.WG_RUN_ID || process.env.WG_AGENTD_RELAY) {
    throw new WgError('forbidden', `an agent's run may not ${what}; a person can`);
  }
}

/**
 * Store operations run right here against the SQLite file (several processes may write at once);
 * afterwards a running daemon is poked so it reacts within milliseconds. Service operations go to the daemon.
 */
export async function runOp<N extends OpName>(name: N, input: unknown, globals: GlobalOptions): Promise<OpOutput<N>> {
  // Inside a job an agent daemon runs: no project here, every command goes to the coordinator through the daemon.
  if (process.env.WG_AGENTD_RELAY) {
    const { callRelayOp } = await import('./relay-op');
    return callRelayOp(name, input, process.env.WG_AGENTD_RELAY, process.env.WG_AGENTD_JOB_TOKEN ?? '');
  }
  // Another user's folder is opened read-only for store operations (openProjectStore refuses the
  // changes with the reason); the coordinator's are refused right away.
  const onStore = runsOnStore(ops[name], input);
  const paths: ProjectPaths = locateProject({ dir: globals.dir, readOnly: onStore });
  // Imported here, not at the top: a command loads the store, the handlers and the daemon client only when
  // it runs (`wg --help` and a mistyped flag need none of them).
  if (!onStore) {
    const { callDaemonOp } = await import('../core/service/daemon-client');
    return callDaemonOp(paths, name, input);
  }
  const [{ openProjectStore }, { upstreamGraphIn }, { dispatch }] = await Promise.all([
    import('../core/opening/open-store'),
    import('../core/opening/upstream-graph'),
    import('../core/ops/dispatch'),
  ]);
  // The sync with upstream's graph.jsonl is loaded only in a folder that has one.
  const commandSync = upstreamGraphIn(paths.dir) ? (await import('../core/upstream-sync/command-sync')).commandSync : null;
  // Queries (and a service operation run here: it reads only) may read a project that cannot be written; changes need a writable one.
  const changes = ops[name].kind === 'mutation' && ops[name].scope === 'store' && ops[name].readsOnlyWhen?.(input) !== true;
  const { store, notice } = openProjectStore(paths, { allowReadOnly: !changes });
  if (notice) process.stderr.write(`wg: ${notice}\n`);
  try {
    // Beside upstream's graph.jsonl: its latest in first, this command's change out to it after.
    const warn = (message: string) => process.stderr.write(`wg: ${message}\n`);
    const upstream = commandSync?.(store, paths, warn);
    upstream?.run();
    const result = await dispatch(name, input, { store, paths, actor: actorFromEnv(), agent: agentFromEnv(), warn });
    if (changes) {
      upstream?.run();
      const { pokeDaemon } = await import('../core/service/daemon-poke');
      await pokeDaemon(paths);
    }
    return result;
  } finally {
    store.close();
  }
}
