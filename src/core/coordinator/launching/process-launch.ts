import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import type { RunFiles } from '../../runs/run-files';
import { wrapperArgs } from './wrapper';

export interface ProcessLaunch {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** A file to read stdin from (already written), or none. */
  stdinFile: string | null;
}

/**
 * Starts the wrapper (its folder must exist) directly from this process: detached (its own
 * session and process group, so it survives the daemon and can be killed as a whole), stdin from
 * a file, stdout/stderr appended to files: nothing depends on a pipe to the daemon, so no output
 * is lost when the daemon dies. Used where the spawn helper cannot be (see spawn-helper.ts).
 */
export function launchProcess(files: RunFiles, spec: ProcessLaunch): ChildProcess {
  const stdinFd: number | 'ignore' = spec.stdinFile === null ? 'ignore' : openSync(spec.stdinFile, 'r');
  const stdoutFd = openSync(files.stdout, 'a', 0o600);
  const stderrFd = openSync(files.stderr, 'a', 0o600);
  try {
    const child = spawn('/bin/sh', wrapperArgs(files.dir, spec.cwd, spec.command, spec.args), {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: [stdinFd, stdoutFd, stderrFd],
    });
    // The daemon may exit while the agent runs; the agent must not hold its event loop open.
    child.unref();
    return child;
  } finally {
    // The child has its own copies of the descriptors now.
    if (typeof stdinFd === 'number') closeSync(stdinFd);
    closeSync(stdoutFd);
    closeSync(stderrFd);
  }
}
