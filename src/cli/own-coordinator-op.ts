import { existsSync } from 'node:fs';
import { ops, type OpName, type OpOutput } from '../shared/ops/registry';
import { WgError } from '../shared/errors';
import type { ProjectPaths } from '../core/project';
import { configuredStoreUrl, envStoreUrl } from '../core/config/store-location';

/**
 * On a team's graph (its store in PostgreSQL) the project's coordinator on this machine answers for the store, on its
 * unix socket (the API's door for this user's processes: http/routes.ts):
 * - an agent's run holds no login to the database (agent-env.ts keeps PG* variables and the store's URL and password
 *   from it), so its `wg` sends every store operation there with its run credential, held to what a local run's `wg`
 *   may do (run-authority.ts). On SQLite a run's `wg` opens graph.db itself, as it always has: the file is its own
 *   user's either way, so the API would keep nothing from it, and an agent's `wg done` counts while the app is closed.
 * - a person's read goes there too when the coordinator runs, and costs one request instead of a connection to the
 *   database and its schema check; with none running, `wg` opens the store as before. Changes are still made here:
 *   some name files from where `wg` runs (`--worktree`, `func extract --output`) or run commands in the person's
 *   environment (`wg exec`), which the coordinator would do from its own.
 */

/** How long a run's `wg` tries again while its coordinator cannot be reached (a `wg service restart`, a crash and a start). */
const RUN_WAIT_MS = 60_000;
/** The pauses between tries: short at first (a restart takes a few seconds), then every 2 s. */
const RETRY_PAUSES_MS = [250, 500, 1000, 2000];

/** An operation's result, when this machine's coordinator gave it. */
type Answered<N extends OpName> = { result: OpOutput<N> };

/** The project's store in PostgreSQL (WG_STORE_URL, else `[store] url`), as opening it would find it. */
function teamStore(paths: ProjectPaths): boolean {
  return (envStoreUrl() ?? configuredStoreUrl(paths.config)) !== null;
}

/** This `wg` runs in an agent's run its coordinator started (agent-env.ts): its credential, else null. */
function runCredential(env: NodeJS.ProcessEnv): string | null {
  return env.WG_RUN_ID && env.WG_API_TOKEN ? env.WG_API_TOKEN : null;
}

/** `operation` as its command is named in a line for a person (`wg done`). */
const commandOf = (name: OpName) => `wg ${ops[name].cli?.command ?? name}`;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A run's operation, sent to its coordinator with its credential. One whose coordinator is away (restarting) is tried
 * again for `waitMs`, said once on stderr; then one line says it was not done.
 */
async function sendAsRun<N extends OpName>(
  name: N,
  input: unknown,
  paths: ProjectPaths,
  credential: string,
  warn: (message: string) => void,
  waitMs: number,
): Promise<OpOutput<N>> {
  const [{ callServerOp, NotReached }, { requireSafeSocket }] = await Promise.all([
    import('../core/connecting/server-client'),
    import('../core/connecting/socket-safety'),
  ]);
  requireSafeSocket(paths.socket);
  const target = { servers: [paths.socket], token: credential, socket: paths.socket };
  const deadline = Date.now() + waitMs;
  for (let tries = 0; ; tries++) {
    try {
      return await callServerOp(name, input, target, process.env, undefined, warn);
    } catch (error) {
      if (!(error instanceof NotReached)) throw error;
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new WgError(
          'unavailable',
          `this project's coordinator did not answer for ${Math.round(waitMs / 1000)} s (${error.why}), so '${commandOf(name)}' was not done: an agent's run reaches a team's graph only through it`,
        );
      }
      if (tries === 0) {
        warn(`this project's coordinator does not answer (${error.why}); trying again for up to ${Math.round(waitMs / 1000)} s`);
      }
      await pause(Math.min(left, RETRY_PAUSES_MS[Math.min(tries, RETRY_PAUSES_MS.length - 1)] as number));
    }
  }
}

/** A person's read, sent to the coordinator running here with the project's token; null when none answers. */
async function readAsPerson<N extends OpName>(
  name: N,
  input: unknown,
  paths: ProjectPaths,
  warn: (message: string) => void,
): Promise<Answered<N> | null> {
  const [{ callServerOp, NotReached }, { socketProblem }, { readToken }] = await Promise.all([
    import('../core/connecting/server-client'),
    import('../core/connecting/socket-safety'),
    import('../core/connecting/coordinator-poke'),
  ]);
  // Not the user's own socket: no token goes there, and the store is opened as before.
  if (socketProblem(paths.socket) !== null) return null;
  const token = readToken(paths);
  if (!token) return null;
  try {
    const target = { servers: [paths.socket], token, socket: paths.socket, actor: 'user' };
    return { result: await callServerOp(name, input, target, process.env, undefined, warn) };
  } catch (error) {
    // A socket left by a coordinator that is gone, or one silent for a read's 20 s: the store answers instead.
    if (error instanceof NotReached) return null;
    throw error;
  }
}

/**
 * A store operation through this machine's coordinator of the project, when this `wg` goes there (above): its result,
 * or null when the store is opened here as before.
 */
export async function throughOwnCoordinator<N extends OpName>(
  name: N,
  input: unknown,
  paths: ProjectPaths,
  warn: (message: string) => void,
  waitMs = RUN_WAIT_MS,
): Promise<Answered<N> | null> {
  if (!teamStore(paths)) return null;
  const credential = runCredential(process.env);
  if (credential) return { result: await sendAsRun(name, input, paths, credential, warn, waitMs) };
  // An agent's name without its run (WG_RUN_ID dropped), WG_STORE_URL naming another store, another user's folder:
  // the store is opened here, as before (it then needs a login of its own).
  if (process.env.WG_RUN_ID || process.env.WG_AGENT_ID || process.env.WG_STORE_URL || paths.untrusted !== undefined) return null;
  if (ops[name].kind !== 'query' || !existsSync(paths.socket)) return null;
  // Beside upstream's graph.jsonl a read first takes in what upstream wrote (command-sync.ts), as `wg` does here.
  const { upstreamGraphIn } = await import('../core/opening/upstream-graph');
  if (upstreamGraphIn(paths.dir) !== null) return null;
  return readAsPerson(name, input, paths, warn);
}
