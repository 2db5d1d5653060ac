import { closeSync } from 'node:fs';
import { openAppendRegular } from '../files/no-follow';
import { basename, join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

/*
 * Upstream's lock on its graph: an exclusive flock(2) on `graph.lock` beside graph.jsonl, held for
 * the whole read-modify-write (`FileLock::acquire`, `modify_graph`, `save_graph`).
 * Node has no flock, and a lock of another kind would not exclude upstream's (fcntl/OFD record
 * locks and flock locks do not see each other on Linux). So this opens graph.lock itself and hands
 * the descriptor to util-linux's `flock(1)` (`flock -x -w SECONDS 3`): a flock belongs to the open
 * file, not to the process, so when flock(1) exits the lock stays held by this process's descriptor,
 * until it is closed. One short process per sync; no native module to build for Node and Electron.
 * Where flock(1) is missing (macOS has none), perl takes the same flock(2) on the same descriptor the
 * same way (macOS ships perl; its flock is flock(2) wherever the system has it). With neither, the
 * lock cannot be taken and graph.jsonl is not written: each sync says why.
 * Spawned with node:child_process, not execa: the lock file's descriptor is handed over as fd 3,
 * which execa's stdio options do not take.
 */

const GRAPH_LOCK_FILE = 'graph.lock';

/** The exit status when the wait ran out (flock(1)'s `-E`, the perl script's own): told apart from a missing program or a bad descriptor. */
const TIMED_OUT = 75;

/**
 * flock(1)'s `flock -x -w SECONDS 3`, in perl: fd 3 opened without a dup (`<&=`, the same open file,
 * so the lock stays with it), an exclusive flock that gives up when the alarm rings.
 */
const PERL_LOCK = `open(my $f, "<&=", 3) or exit 2; $SIG{ALRM} = sub { exit ${TIMED_OUT} }; alarm($ARGV[0]);
flock($f, LOCK_EX) or exit($!{EINTR} ? ${TIMED_OUT} : 2); alarm(0); exit 0;`;

interface Locker {
  program: string;
  args: (waitMs: number) => string[];
}

const seconds = (waitMs: number) => String(Math.max(0.001, waitMs / 1000));

/** The programs that take the lock on fd 3, in order: the first one installed is used. */
const LOCKERS: readonly Locker[] = [
  { program: 'flock', args: (waitMs) => ['-x', '-w', seconds(waitMs), '-E', String(TIMED_OUT), '3'] },
  { program: 'perl', args: (waitMs) => ['-MFcntl=:flock', '-MTime::HiRes=alarm', '-e', PERL_LOCK, seconds(waitMs)] },
];

export class GraphLockError extends Error {}

/** Held until `release`: upstream's wg waits for it (and this app's other processes too). */
export interface GraphLock {
  release(): void;
}

function openLockFile(wgDir: string): number {
  // As upstream: created if missing, never truncated; never opened through a link planted at its name, nor waited on.
  return openAppendRegular(join(wgDir, GRAPH_LOCK_FILE), 0o644);
}

function held(fd: number): GraphLock {
  let open = true;
  return {
    release: () => {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

/** What a locker's exit came to: locked, or not installed (try the next), or an error to tell. */
interface Outcome {
  code: number | null;
  error?: string;
}

const noneInstalled = (file = 'graph.jsonl') =>
  new GraphLockError(`neither the flock program (util-linux) nor perl is installed, so ${file} cannot be locked as upstream locks it`);

function failure(program: string, outcome: Outcome, waitMs: number, file = 'graph.jsonl'): GraphLockError {
  if (outcome.code === TIMED_OUT) return new GraphLockError(`${file} stayed locked by another program for ${Math.round(waitMs / 1000)} s`);
  return new GraphLockError(`cannot lock ${file} (${program} exited with ${outcome.code ?? outcome.error ?? 'an error'})`);
}

/** Takes the lock, blocking this thread up to `waitMs` (a `wg` command: nothing else to do meanwhile). */
export function lockGraphSync(wgDir: string, waitMs: number): GraphLock {
  const fd = openLockFile(wgDir);
  try {
    for (const locker of LOCKERS) {
      const result = spawnSync(locker.program, locker.args(waitMs), { stdio: ['ignore', 'ignore', 'ignore', fd] });
      const outcome: Outcome = { code: result.status, error: (result.error as NodeJS.ErrnoException | undefined)?.code };
      if (outcome.error === 'ENOENT') continue;
      if (outcome.code !== 0) throw failure(locker.program, outcome, waitMs);
      return held(fd);
    }
    throw noneInstalled();
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * Takes the lock without blocking the event loop (the daemon and the window keep serving meanwhile).
 * `signal` gives up the wait (closing: the change stays in graph.db for the next sync).
 */
export async function lockGraph(wgDir: string, waitMs: number, signal?: AbortSignal): Promise<GraphLock> {
  return lockOpened(openLockFile(wgDir), 'graph.jsonl', waitMs, signal);
}

/** The lock on an open descriptor, without blocking the event loop; the descriptor is closed if it fails. */
async function lockOpened(fd: number, file: string, waitMs: number, signal?: AbortSignal): Promise<GraphLock> {
  try {
    for (const locker of LOCKERS) {
      const outcome = await new Promise<Outcome>((resolve) => {
        const child = spawn(locker.program, locker.args(waitMs), { stdio: ['ignore', 'ignore', 'ignore', fd], signal });
        child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error: error.code }));
        child.once('exit', (code) => resolve({ code }));
      });
      if (signal?.aborted) throw new GraphLockError(`gave up waiting for ${file}'s lock (closing)`);
      if (outcome.error === 'ENOENT') continue;
      if (outcome.code !== 0) throw failure(locker.program, outcome, waitMs, file);
      return held(fd);
    }
    throw noneInstalled(file);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** A lock held on one of upstream's files, and the descriptor it is held through (lines are appended through it). */
export interface FileLock extends GraphLock {
  fd: number;
}

/**
 * The same lock on another of upstream's files: a task's message file, which upstream's
 * `send_message` flocks itself, not graph.lock. Opened for appending, created if missing (as
 * upstream opens it), never through a link planted at its name; a FIFO or device there is refused.
 */
export async function lockUpstreamFile(path: string, waitMs: number, signal?: AbortSignal): Promise<FileLock> {
  const fd = openAppendRegular(path, 0o644);
  const lock = await lockOpened(fd, basename(path), waitMs, signal);
  return { fd, release: lock.release };
}
