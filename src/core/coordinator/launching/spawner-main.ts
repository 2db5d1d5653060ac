import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { runTraceAs, traceKey, traceRun } from '../../runs/files/run-trace';
import { parseLine, spawnerRequest, type SpawnerReply, type StartRequest } from './spawner-protocol';
import { forkRun, forkServerHere, canCarry } from './fork-server';
import { prepareRun } from './run-request';
import { spawnRun } from './spawner';

/**
 * The spawner process (out/cli/spawner.mjs): starts runs for the coordinator through execa where the
 * coordinator does not drive the run server itself (run-launcher.ts: Windows, no bash 4,
 * WG_FORK_SERVER=0, and runs the shell cannot carry exactly). Forking
 * a process costs in proportion to the forking process's memory (measured on this VM: 0.7 ms of CPU
 * from a 52 MB process, 4 ms from a 158 MB one, and the event loop blocked until the child execs),
 * so runs are forked from this small process rather than from the coordinator. It also makes each
 * run's folder and files. Runs live on if it dies: they are detached, and their wrappers record
 * their ends in their folders. It stops when the coordinator closes its stdin.
 *
 * On POSIX systems with bash 4+ it starts them through one long-lived shell, the run server
 * (fork-server.ts): one fork of that shell a run, made when the run is asked for, which waits for
 * the run's command from outside the run and reports its start and end on the server's one pipe;
 * execa remains the path on Windows and for runs the shell cannot carry exactly (WG_FORK_SERVER=0 forces it).
 */
// Beside this bundle (out/cli/); read by path, so in the packaged app it is read from app.asar.
runTraceAs('s');
const forkServer = forkServerHere(process.env, fileURLToPath(new URL('./fork-server.sh', import.meta.url)), (message) => process.stderr.write(`${message}\n`));
function reply(message: SpawnerReply): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

/** The environment runs start from (a `base` request), to which each start adds its own. */
let base: Record<string, string> = {};

async function start(request: StartRequest): Promise<void> {
  const key = traceRun ? traceKey(request.dir) : '';
  traceRun?.('s-req', key);
  try {
    const spawn = prepareRun(request, base);
    const spawned = forkServer && canCarry(spawn) ? await forkRun(forkServer, spawn) : await spawnRun(spawn);
    traceRun?.('s-started', key);
    reply({ type: 'started', ref: request.ref, pid: spawned.pid, cgroup: spawned.cgroup });
    const end = await spawned.ended;
    traceRun?.('s-ended', key);
    reply(end.lost ? { type: 'lost', ref: request.ref } : { type: 'ended', ref: request.ref, status: end.status, signal: end.signal });
  } catch (error) {
    reply({ type: 'failed', ref: request.ref, reason: error instanceof Error ? error.message : String(error) });
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const request = parseLine(spawnerRequest, line);
  if (request?.type === 'base') base = request.env;
  else if (request) void start(request);
});
// A coordinator that went away takes nothing with it: the runs are detached; this process just ends.
process.stdin.on('end', () => {
  forkServer?.close();
  process.exit(0);
});
process.stdout.on('error', () => process.exit(0));
