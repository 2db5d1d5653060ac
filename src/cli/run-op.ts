import { runsOnStore } from '../shared/ops/define';
import { ops, type OpName, type OpOutput } from '../shared/ops/registry';
import { locateProject, type ProjectPaths } from '../core/project';
import { invalid, WgError } from '../shared/errors';
import type { CliIo } from './cli-io';

export interface GlobalOptions {
  dir?: string;
  json?: boolean;
  /** Coordinators to send every operation to, comma separated (else WG_SERVER); with a person's token (else WG_TOKEN). */
  server?: string;
  token?: string;
}

/** The coordinators this `wg` sends its operations to (`--server`, else WG_SERVER), and which of the two named them. */
export function serverOf(globals: GlobalOptions): { text: string; source: string } | undefined {
  if (globals.server !== undefined) return { text: globals.server, source: '--server' };
  return process.env.WG_SERVER ? { text: process.env.WG_SERVER, source: 'WG_SERVER' } : undefined;
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
 * A command that is no operation works on this machine's own project (its folder, its daemon): when
 * `wg` is pointed at a coordinator elsewhere it is refused, rather than done here by surprise.
 */
export function refuseRemote(what: string, globals: GlobalOptions, where = "on the coordinator's own machine (or here, without"): void {
  const server = serverOf(globals);
  if (server) throw invalid(`cannot ${what} through ${server.source} (${server.text}); that is done ${where} ${server.source})`);
}

/**
 * Store operations run right here against the SQLite file (several processes may write at once);
 * afterwards a running daemon is poked so it reacts within milliseconds. Service operations go to the daemon.
 * With a coordinator named elsewhere (--server, WG_SERVER), every operation goes to its API instead.
 */
/**
 * Upstream's `wg add` inside an agent's run (WG_TASK_ID set) makes the new task a follow-up of the
 * run's own task unless --after says otherwise (its default_parent_after). Where the graph is at hand
 * (`tagsOf` gives the task's tags, or null when there is no such task), not when that task is missing, nor
 * when it is a coordinator's loop (tagged coordinator-loop): what the coordinator adds is work of its own.
 */
async function withRunDefaults(name: OpName, input: unknown, tagsOf?: (id: string) => Promise<string[] | null>): Promise<unknown> {
  const own = process.env.WG_TASK_ID;
  if (name !== 'task:add' || !own || typeof input !== 'object' || input === null) return input;
  // A subtask is what its parent waits for: after its parent too, neither could ever start (upstream leaves it out).
  if ((input as { subtask?: unknown }).subtask === true) return input;
  const after = (input as { after?: unknown }).after;
  if (Array.isArray(after) && after.length > 0) return input;
  const tags = await tagsOf?.(own);
  if (tags === null || tags?.includes('coordinator-loop')) return input;
  return { ...input, after: [own] };
}

/** An operation's warning, as every way of running it tells it: one line on stderr; the exit code stays 0. */
const warnTo = (io: CliIo) => (message: string) => io.stderr.write(`wg: ${message}\n`);

export async function runOp<N extends OpName>(name: N, given: unknown, globals: GlobalOptions, io: CliIo): Promise<OpOutput<N>> {
  const input = await withRunDefaults(name, given);
  // Inside a job an agent daemon runs: no project here, every command goes to the coordinator through the daemon.
  if (process.env.WG_AGENTD_RELAY) {
    const { callRelayOp } = await import('./relay-op');
    return callRelayOp(name, input, process.env.WG_AGENTD_RELAY, process.env.WG_AGENTD_JOB_TOKEN ?? '');
  }
  // A person reaching a coordinator elsewhere: the same operation, sent over its API with their token.
  const server = serverOf(globals);
  if (server) {
    if (globals.dir !== undefined)
      throw invalid(`--dir names a project on this machine and ${server.source} a coordinator elsewhere: use one`);
    const [{ parseServerTarget }, { callServerOp }] = await Promise.all([
      import('../core/connecting/server-list'),
      import('../core/connecting/server-client'),
    ]);
    const target = parseServerTarget(server.text, globals.token ?? process.env.WG_TOKEN, server.source);
    return callServerOp(name, input, target, process.env, undefined, warnTo(io));
  }
  if (globals.token !== undefined) throw invalid('--token is sent to a coordinator elsewhere: give it with --server (or WG_SERVER)');
  // Another user's folder is opened read-only for store operations (openProjectStore refuses the
  // changes with the reason); the coordinator's are refused right away.
  const onStore = runsOnStore(ops[name], input);
  const paths: ProjectPaths = locateProject({ dir: globals.dir, readOnly: onStore });
  // Imported here, not at the top: a command loads the store, the handlers and the daemon client only when
  // it runs (`wg --help` and a mistyped flag need none of them).
  if (!onStore) {
    const { callCoordinatorOp } = await import('../core/connecting/coordinator-client');
    return callCoordinatorOp(paths, name, input, warnTo(io));
  }
  // A team's graph: an agent's run, and a person's read while the coordinator runs here, go through it.
  const { throughOwnCoordinator } = await import('./own-coordinator-op');
  const answered = await throughOwnCoordinator(name, input, paths, warnTo(io));
  if (answered) return answered.result;
  const [{ openProjectStore }, { upstreamGraphIn }, { dispatch }, { findTaskRow, tagsOf }, { syncedBefore }] = await Promise.all([
    import('../core/opening/open-store'),
    import('../core/opening/upstream-graph'),
    import('../core/ops/dispatch'),
    import('../core/store/task-reads'),
    import('../core/upstream-sync/synced-before'),
  ]);
  // Queries (and a service operation run here: it reads only) may read a project that cannot be written; changes need a writable one.
  const changes = ops[name].kind === 'mutation' && ops[name].scope === 'store' && ops[name].readsOnlyWhen?.(input) !== true;
  const { store, notice } = await openProjectStore(paths, { allowReadOnly: !changes });
  if (notice) io.stderr.write(`wg: ${notice}\n`);
  // The sync with upstream's graph.jsonl is loaded only in a folder that has one, or had one (its sync says it is gone).
  const synced = upstreamGraphIn(paths.dir) !== null || (await syncedBefore(store.core));
  const commandSync = synced ? (await import('../core/upstream-sync/command-sync')).commandSync : null;
  try {
    // Beside upstream's graph.jsonl: its latest in first (never writing it), this command's change out to it after.
    const warn = warnTo(io);
    const upstream = await commandSync?.(store, paths, warn);
    await upstream?.run('read');
    const local = await withRunDefaults(name, given, async (id) => ((await findTaskRow(store.core, id)) ? tagsOf(store.core, id) : null));
    const result = await dispatch(name, local, { store, paths, actor: actorFromEnv(), agent: agentFromEnv(), warn });
    if (changes) {
      await upstream?.run('full');
      const { pokeCoordinator } = await import('../core/connecting/coordinator-poke');
      await pokeCoordinator(paths);
    }
    return result;
  } finally {
    await store.close();
  }
}
