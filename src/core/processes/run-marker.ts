import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';

/**
 * Every process a run starts carries the run's id in its environment (WG_RUN_ID, inherited by
 * everything it forks and execs). Unlike the process group, that survives `setsid`, a double fork
 * and re-parenting to init, so a kill can find a run's processes that left its group or session
 * (Claude Code runs each Bash tool command in a session of its own). A process that replaces its
 * whole environment (`env -i`) drops the marker; only a cgroup (run-cgroup.ts) holds such a one.
 */
export const RUN_MARKER = 'WG_RUN_ID';

const NEEDLE = Buffer.from(`${RUN_MARKER}=`);

/** The run ids in one process environment block (NUL-separated `NAME=value`), usually none or one. */
function markersIn(environ: Buffer): string[] {
  const found: string[] = [];
  let at = environ.indexOf(NEEDLE);
  while (at >= 0) {
    // Only a variable of that exact name (not e.g. XWG_RUN_ID).
    if (at === 0 || environ[at - 1] === 0) {
      const end = environ.indexOf(0, at);
      found.push(environ.toString('latin1', at + NEEDLE.length, end < 0 ? environ.length : end));
    }
    at = environ.indexOf(NEEDLE, at + NEEDLE.length);
  }
  return found;
}

/**
 * The live processes carrying one of `runIds`, by run id, in one pass over the system's processes.
 * Linux reads /proc/<pid>/environ (zombies have none, so they never count); macOS asks `ps -E`,
 * which shows the environment of this user's processes; elsewhere nothing is found.
 */
export function processesOfRuns(runIds: ReadonlySet<string>, exclude: ReadonlySet<number> = new Set([process.pid])): Map<string, number[]> {
  const found = new Map<string, number[]>();
  if (runIds.size === 0) return found;
  const add = (runId: string, pid: number) => {
    if (!runIds.has(runId) || exclude.has(pid)) return;
    const pids = found.get(runId);
    if (pids) pids.push(pid);
    else found.set(runId, [pid]);
  };
  if (process.platform === 'linux') {
    for (const [pid, environ] of linuxEnvirons()) for (const runId of markersIn(environ)) add(runId, pid);
  } else if (process.platform === 'darwin') {
    for (const [pid, runId] of darwinMarkers()) add(runId, pid);
  }
  return found;
}

/** Big enough for nearly any environment; a bigger one is read whole. */
const ENVIRON_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** Each process's environment block. Raw reads into one buffer: a readFileSync per process cost 4× as much. */
function* linuxEnvirons(): Generator<[number, Buffer]> {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return;
  }
  for (const entry of entries) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    let fd: number;
    try {
      fd = openSync(`/proc/${entry}/environ`, 'r');
    } catch {
      // Gone meanwhile, or another user's process (which we could not signal anyway).
      continue;
    }
    try {
      const length = readSync(fd, ENVIRON_BUFFER, 0, ENVIRON_BUFFER.length, 0);
      if (length < ENVIRON_BUFFER.length) yield [Number(entry), ENVIRON_BUFFER.subarray(0, length)];
      else yield [Number(entry), readFileSync(`/proc/${entry}/environ`)];
    } catch {
      // Gone meanwhile.
    } finally {
      closeSync(fd);
    }
  }
}

/** `ps -E` appends each process's environment to its command line: pid and marker of those that carry one. */
function darwinMarkers(): [number, string][] {
  let text: string;
  try {
    text = execFileSync('ps', ['-axwwE', '-o', 'pid=,command='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return [];
  }
  const pattern = new RegExp(`(?:^|\\s)${RUN_MARKER}=([0-9a-f]+)(?=\\s|$)`);
  const found: [number, string][] = [];
  for (const line of text.split('\n')) {
    const match = pattern.exec(line);
    const pid = Number.parseInt(line, 10);
    if (match?.[1] && Number.isInteger(pid)) found.push([pid, match[1]]);
  }
  return found;
}
