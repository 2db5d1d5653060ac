import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

/*
 * Upstream's lock on its graph: an exclusive flock(2) on `graph.lock` beside graph.jsonl, held for
 * the whole read-modify-write (`FileLock::acquire`, `modify_graph`, `save_graph`).
 * Node has no flock, and a lock of another kind would not exclude upstream's (fcntl/OFD record
 * locks and flock locks do not see each other on Linux). So this opens graph.lock itself and hands
 * the descriptor to util-linux's `flock(1)` (`flock -x -w SECONDS 3`): a flock belongs to the open
 * file, not to the process, so when flock(1) exits the lock stays held by this process's descriptor,
 * until it is closed. One short process per sync; no native module to build for Node and Electron.
 * Spawned with node:child_process, not execa: the lock file's descriptor is handed over as fd 3,
 * which execa's stdio options do not take.
 */

const GRAPH_LOCK_FILE = 'graph.lock';

/** flock(1)'s exit status when `-w` ran out (`-E`): told apart from a missing program or a bad descriptor. */
const TIMED_OUT = 75;

class GraphLockError extends Error {}

/** Held until `release`: upstream's wg waits for it (and this app's other processes too). */
export interface GraphLock {
  release(): void;
}

function openLockFile(wgDir: string): number {
  // As upstream: created if missing, never truncated.
  return openSync(join(wgDir, GRAPH_LOCK_FILE), 'a+');
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

function lockArgs(waitMs: number): string[] {
  return ['-x', '-w', String(Math.max(0.001, waitMs / 1000)), '-E', String(TIMED_OUT), '3'];
}

function failure(exitCode: number | undefined, code: string | undefined, waitMs: number): GraphLockError {
  if (code === 'ENOENT')
    return new GraphLockError('the flock program (util-linux) is not installed, so graph.jsonl cannot be locked as upstream locks it');
  if (exitCode === TIMED_OUT) return new GraphLockError(`graph.jsonl stayed locked by another program for ${Math.round(waitMs / 1000)} s`);
  return new GraphLockError(`cannot lock graph.jsonl (flock exited with ${exitCode ?? code ?? 'an error'})`);
}

/** Takes the lock, blocking this thread up to `waitMs` (a `wg` command: nothing else to do meanwhile). */
export function lockGraphSync(wgDir: string, waitMs: number): GraphLock {
  const fd = openLockFile(wgDir);
  try {
    const result = spawnSync('flock', lockArgs(waitMs), { stdio: ['ignore', 'ignore', 'ignore', fd] });
    if (result.status !== 0) throw failure(result.status ?? undefined, (result.error as NodeJS.ErrnoException | undefined)?.code, waitMs);
    return held(fd);
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
  const fd = openLockFile(wgDir);
  try {
    const status = await new Promise<{ code: number | null; error?: string }>((resolve) => {
      const child = spawn('flock', lockArgs(waitMs), { stdio: ['ignore', 'ignore', 'ignore', fd], signal });
      child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, error: error.code }));
      child.once('exit', (code) => resolve({ code }));
    });
    if (signal?.aborted) throw new GraphLockError("gave up waiting for graph.jsonl's lock (closing)");
    if (status.code !== 0) throw failure(status.code ?? undefined, status.error, waitMs);
    return held(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
