import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { execa } from 'execa';
import { createRunCgroup, removeRunCgroup } from '../../runs/killing/run-cgroup';
import type { RunFiles } from '../../runs/files/run-files';
import { wrapperArgs } from './wrapper';

export interface SpawnRequest {
  files: RunFiles;
  runId: string;
  command: string;
  args: string[];
  /** The whole environment of the run (nothing is inherited beyond it). */
  env: Record<string, string>;
  cwd: string;
  /** A file to read stdin from (already written), or none. */
  stdinFile: string | null;
  /**
   * `env` as the environment every run shares and what this run adds over it (runEnvironment), when
   * known: the run server then sends only the run's own part, without comparing the whole.
   */
  layers?: { base: Record<string, string>; own: Record<string, string> };
}

/**
 * How the run ended, as this process saw it: the wrapper's exit status (from the run server,
 * 128+N when signal N ended it), or the signal that ended it.
 */
export interface SpawnEnd {
  status: number | null;
  signal: string | null;
  /**
   * The status is the one the run's exit file holds, reported by whoever wrote it (the run server's
   * worker writes the file, then reports the same number): the file need not be read again.
   */
  exact?: boolean;
}

export interface SpawnedRun {
  /** The wrapper's pid; it leads the run's process group (and, started by execa, its session). */
  pid: number;
  cgroup: string | null;
  /** `lost`: this process can no longer tell (the run server's pipe closed); the run folder will. */
  ended: Promise<SpawnEnd & { lost?: boolean }>;
}

const WINDOWS = process.platform === 'win32';

/**
 * execa's types name only descriptors 3-9, but at run time it hands any descriptor number to the
 * child as it is (execa/lib/stdio/type.js: a number is "native"), which is what a run needs: the
 * file itself, with no pipe through this process.
 */
const descriptor = (fd: number) => fd as 3;

/**
 * Starts one run through execa (the design card's process library, which also covers Windows):
 * detached (its own session and process group, so it outlives the daemon and is killed as a
 * whole), stdin from a file, stdout and stderr appended to files in the run folder by the kernel
 * (file descriptors, not pipes: nothing depends on this process to keep reading), and under the
 * wrapper shell that records the pid and the exit status in the run folder. Before it starts,
 * the run gets its cgroup where the system allows one; the wrapper notes in the run folder that it
 * joined it, so `wg kill` in another process finds it. Throws with the reason when it cannot start.
 */
export async function spawnRun(request: SpawnRequest): Promise<SpawnedRun> {
  const { files } = request;
  // Files are opened off the event loop: several starts overlap their (sometimes slow) disk work.
  // The wrapper joins the cgroup first thing and records that it did in the run folder (wrapper.ts).
  const [cgroup, stdinHandle, stdoutHandle, stderrHandle] = await Promise.all([
    WINDOWS ? null : createRunCgroup(request.runId),
    request.stdinFile === null ? null : open(request.stdinFile, 'r'),
    open(files.stdout, 'a', 0o600),
    open(files.stderr, 'a', 0o600),
  ]);
  const stdin: number | 'ignore' = stdinHandle?.fd ?? 'ignore';
  const stdout = stdoutHandle.fd;
  const stderr = stderrHandle.fd;
  try {
    // Windows has no /bin/sh: the command runs directly, and its status is recorded by this process.
    const file = WINDOWS ? request.command : '/bin/sh';
    const args = WINDOWS ? request.args : wrapperArgs(files.dir, cgroup, request.command, request.args);
    const child = execa(file, args, {
      cwd: request.cwd, env: request.env, extendEnv: false, detached: true,
      stdin: stdin === 'ignore' ? stdin : descriptor(stdin), stdout: descriptor(stdout), stderr: descriptor(stderr),
      // The run must outlive this process, and has no output for execa to collect.
      cleanup: false, reject: false, buffer: false, windowsHide: true,
    });
    const ended = child.then((result): SpawnEnd => {
      if (WINDOWS && result.exitCode !== undefined) writeFileSync(files.exit, `${result.exitCode}\n`);
      return { status: result.exitCode ?? null, signal: result.signal ?? null };
    });
    if (child.pid === undefined) {
      const result = await child;
      if (cgroup) removeRunCgroup(cgroup);
      throw new Error(result.originalMessage || result.shortMessage || 'the process did not start');
    }
    // The daemon may exit while the run goes on: the run must not hold its event loop open.
    child.unref();
    return { pid: child.pid, cgroup, ended };
  } finally {
    // The child has its own copies of the descriptors now.
    await Promise.all([stdinHandle?.close(), stdoutHandle.close(), stderrHandle.close()]);
  }
}
