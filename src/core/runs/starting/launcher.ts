import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { openAppendNoFollow, writeFileNoFollow } from '../../files/no-follow';
import { execa } from 'execa';
import { runFiles } from '../../run-folder/run-files';
import { runHop } from '../../timing/run-hops';
import { runEnvironment } from './agent-env';
import { beginBy, uptimeHundredths, wrapperArgs } from './wrapper';

/**
 * What the coordinator asks the launcher to start: the run's folder, command and working folder,
 * the environment every run shares (`base`: the coordinator's own, stripped of any agent identity)
 * and what this run adds to it (`env`), and the text for its stdin, if any.
 */
export interface LaunchRequest {
  dir: string;
  command: string;
  args: string[];
  base: Record<string, string>;
  env: Record<string, string>;
  cwd: string;
  stdin: string | null;
  /** The run's own cgroup (createRunCgroup), made by the caller; null where there is none. */
  cgroup: string | null;
  /**
   * Asked last, before anything of the run is made here (its cgroup is the caller's): how long the run may still
   * begin (0: it is not started, StartHeld). The wrapper does not run the command once that time has passed (wrapper.ts).
   */
  startWindowMs?: () => number;
}

/** A launch that was not to start now (LaunchRequest.startWindowMs): nothing of it was made here. */
export class StartHeld extends Error {
  constructor() {
    super('the run may not start now');
  }
}

/**
 * How the wrapper ended, as this process saw it: its exit status, or the signal that ended it. What the run
 * meant (its command's status from the exit file, its output, its task) is the judge's `RunEnd`.
 */
export interface WrapperEnd {
  status: number | null;
  signal: string | null;
}

export interface LaunchedRun {
  /** The wrapper's pid; it leads the run's session and process group. */
  pid: number;
  cgroup: string | null;
  /** Settles when the wrapper ends (the status the command left is in the run folder's exit file). */
  ended: Promise<WrapperEnd>;
}

const WINDOWS = process.platform === 'win32';

/**
 * execa's types name only descriptors 3-9, but at run time it hands any descriptor number to the
 * child as it is (a number is "native" stdio), which is what a run needs: the file itself, with no
 * pipe through this process.
 */
const descriptor = (fd: number) => fd as 3;

/**
 * The launcher: starts one run through execa, the one way runs start on every platform. The run
 * folder and its stdin file are made first; the run is detached (its own session and process
 * group, so it outlives the coordinator and is killed as a whole), reads stdin from a file, and
 * its stdout and stderr go straight to files in the run folder (descriptors, not pipes: nothing
 * depends on this process to keep reading). On POSIX systems it runs under the wrapper shell
 * (wrapper.ts), which joins the run's cgroup where the system gives one, and records the pid and
 * the command's exit status in the run folder, so a restarted coordinator can adopt or settle it.
 * Throws with the reason when the run cannot start.
 */
export async function launchRun(request: LaunchRequest): Promise<LaunchedRun> {
  // Nothing asynchronous comes between this and the spawn below.
  // The uptime before the window: a freeze between the two finds the window closed (held), never a late fork
  // with a time to begin by read after it.
  const uptime = uptimeHundredths();
  const window = request.startWindowMs?.() ?? Number.POSITIVE_INFINITY;
  if (window <= 0) throw new StartHeld();
  const by = beginBy(uptime, window);
  const key = basename(request.dir);
  runHop('d-spawn', key);
  const files = runFiles(request.dir);
  mkdirSync(files.dir, { recursive: true });
  if (request.stdin !== null) writeFileNoFollow(files.stdin, request.stdin, 0o600);
  const { cgroup } = request;
  // Opened here, not through the thread pool: on a loaded machine its round trip delays the start by milliseconds.
  const stdin = request.stdin === null ? null : openSync(files.stdin, 'r');
  const stdout = openAppendNoFollow(files.stdout, 0o600);
  const stderr = openAppendNoFollow(files.stderr, 0o600);
  try {
    // Windows has no /bin/sh: the command runs directly, and its status is recorded by this process.
    const file = WINDOWS ? request.command : '/bin/sh';
    const args = WINDOWS ? request.args : wrapperArgs(files.dir, cgroup, by, request.command, request.args);
    runHop('d-prepared', key);
    const child = execa(file, args, {
      cwd: request.cwd,
      env: runEnvironment(request.base, request.env),
      extendEnv: false,
      detached: true,
      stdin: stdin === null ? 'ignore' : descriptor(stdin),
      stdout: descriptor(stdout),
      stderr: descriptor(stderr),
      // The run must outlive this process, and has no output for execa to collect.
      cleanup: false,
      reject: false,
      buffer: false,
      windowsHide: true,
    });
    const ended = child.then((result): WrapperEnd => {
      runHop('d-ended', key);
      if (WINDOWS && result.exitCode !== undefined) writeFileSync(files.exit, `${result.exitCode}\n`);
      return { status: result.exitCode ?? null, signal: result.signal ?? null };
    });
    if (child.pid === undefined) {
      const result = await child;
      throw new Error(result.originalMessage || result.shortMessage || 'the process did not start');
    }
    // The coordinator may exit while the run goes on: the run must not hold its event loop open.
    child.unref();
    runHop('d-started', key);
    return { pid: child.pid, cgroup, ended };
  } finally {
    // The child has its own copies of the descriptors now.
    for (const fd of [stdin, stdout, stderr]) if (fd !== null) closeSync(fd);
  }
}
