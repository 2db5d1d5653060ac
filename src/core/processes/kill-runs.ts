import { cgroupKill, cgroupPids, cgroupPopulated, removeRunCgroup } from './run-cgroup';
import { processesOfRuns } from './run-marker';
import { groupAlive, signalGroup } from './process-group';

/**
 * What identifies everything one run started: its wrapper's process group, the run id every one
 * of its processes carries in its environment, and its cgroup where it has one.
 */
export interface RunHandle {
  /** The wrapper's pid, which leads the run's process group. */
  pid: number | null;
  runId: string | null;
  cgroup: string | null;
}

export interface KillOptions {
  /** SIGKILL at once, without SIGTERM and its grace. */
  force?: boolean;
  /** How long SIGTERM gets before SIGKILL (default 5 s). */
  graceMs?: number;
}

/** How long SIGKILL rounds go on (each catches processes forked since the last look). */
const KILL_WINDOW_MS = 3000;
const POLL_MS = 25;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function markerIds(runs: readonly RunHandle[]): Set<string> {
  return new Set(runs.flatMap((run) => (run.runId ? [run.runId] : [])));
}

/**
 * The runs of which anything still runs: a populated cgroup (which holds all of a run's
 * processes), else its process group or a process with its marker (one scan for all of them).
 */
export function aliveRuns(runs: readonly RunHandle[]): RunHandle[] {
  const alive = new Set<RunHandle>();
  const unsure: RunHandle[] = [];
  for (const run of runs) {
    if (run.cgroup) {
      if (cgroupPopulated(run.cgroup)) alive.add(run);
    } else if (run.pid !== null && groupAlive(run.pid)) alive.add(run);
    else unsure.push(run);
  }
  const found = processesOfRuns(markerIds(unsure));
  for (const run of unsure) if (run.runId && found.has(run.runId)) alive.add(run);
  return runs.filter((run) => alive.has(run));
}

/** Whether anything of these runs still runs: its cgroup, its process group, or a process with its marker. */
function runsAlive(runs: readonly RunHandle[]): boolean {
  for (const run of runs) {
    if (run.cgroup && cgroupPopulated(run.cgroup)) return true;
    if (run.pid !== null && groupAlive(run.pid)) return true;
  }
  return processesOfRuns(markerIds(runs)).size > 0;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

/** One round of signals to every process of the runs, found each way there is. */
function signalRuns(runs: readonly RunHandle[], name: NodeJS.Signals): void {
  for (const run of runs) {
    if (run.cgroup) {
      // cgroup.kill ends the whole cgroup at once; SIGTERM goes to each member.
      if (name !== 'SIGKILL' || !cgroupKill(run.cgroup)) for (const pid of cgroupPids(run.cgroup)) signal(pid, name);
    }
    if (run.pid !== null) signalGroup(run.pid, name);
  }
  for (const pids of processesOfRuns(markerIds(runs)).values()) for (const pid of pids) signal(pid, name);
}

/**
 * THE way runs are stopped (wg kill, --force, --all, a timeout, service stop --kill-agents, the
 * app's quit-and-stop, leftovers of a finished run): SIGTERM to every process of the runs, up to
 * `graceMs` for them to go, then SIGKILL rounds until nothing of them is left (or the window
 * ends). A run's empty cgroup is removed. Resolves whether everything is gone.
 */
export async function killRuns(runs: readonly RunHandle[], options: KillOptions = {}): Promise<boolean> {
  if (runs.length === 0) return true;
  if (!options.force) {
    signalRuns(runs, 'SIGTERM');
    const deadline = Date.now() + (options.graceMs ?? 5000);
    while (runsAlive(runs) && Date.now() < deadline) await sleep(POLL_MS);
  }
  const deadline = Date.now() + KILL_WINDOW_MS;
  let alive = runsAlive(runs);
  while (alive && Date.now() < deadline) {
    signalRuns(runs, 'SIGKILL');
    await sleep(POLL_MS / 2);
    alive = runsAlive(runs);
  }
  for (const run of runs) if (run.cgroup) removeRunCgroup(run.cgroup);
  return !alive;
}
