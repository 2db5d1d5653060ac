import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { createRunCgroup, removeRunCgroup } from '../../runs/killing/run-cgroup';
import { processAlive, signalGroup } from '../../runs/killing/process-group';
import { LineBuffer } from '../../runs/output/line-buffer';
import { traceFile, traceKey, traceRun } from '../../runs/files/run-trace';
import { ServerEnvironment } from './run-server-env';
import { framed, shellWord } from './run-server-words';
import type { SpawnedRun, SpawnEnd, SpawnRequest } from './spawner';
import { wrapperCommand } from './wrapper';

export { canCarry, shellWord } from './run-server-words';

/**
 * The client of the run server (fork-server.sh, shipped next to the spawner bundle): one long-lived
 * bash with a pool of workers forked from it, each serving one run at a time, because a fork of
 * Node costs several times a fork of a small shell (measured: the spawner's own CPU 0.6-0.7 ms a
 * run against 2.2-2.6 ms through execa) and a worker that stays costs a run no fork at all but its
 * command's. The worker waits for the run's command from outside the run (its process group, cgroup
 * and marker), so every kill of a run leaves it to report the end; all workers report on ONE pipe,
 * the server's stdout: "s REF PID WORKER" (started), "e REF STATUS" (ended, the status on disk
 * already), "f REF REASON" (could not start). This side names the worker of each request: one whose
 * last run it heard end. Requests made in one turn of the event loop go to the server in one write.
 * execa (spawner.ts) stays the path on Windows, without bash 4, and for runs the shell cannot carry
 * exactly.
 */

type Ended = SpawnEnd & { lost?: boolean };

/** A run asked for and not yet ended, as its reports move it along. */
interface Pending {
  key: string;
  cgroup: string | null;
  started: ((run: SpawnedRun) => void) | null;
  failed: (error: Error) => void;
  ended: (end: Ended) => void;
  endedPromise: Promise<Ended>;
  /** Gives up on a start the server does not answer. */
  timer?: NodeJS.Timeout;
  /** Its worker's pid once started, and whether the last sweep found it gone without its report. */
  worker?: number;
  gone?: boolean;
}

/** One run server: its process, the runs it was asked for and not yet heard end, its unsent requests. */
interface Server {
  child: ResultPromise;
  pending: Map<string, Pending>;
  queued: string[];
  /** Whether its pipe keeps this process alive: while it waits for a run's start or end, until closed. */
  held: boolean;
  /** Runs whose start was given up on: should one start after all, it is ended. */
  abandoned: Set<string>;
  /** Looks for workers gone without a report, while runs are under way. */
  sweep: NodeJS.Timeout | null;
  /** Each run's worker (a number the server knows it by) until its end or failure is heard, also of runs given up on. */
  workerOf: Map<string, number>;
  /** Workers whose last run ended, the last freed last (it serves the next run: its pages are warm). */
  idle: number[];
  /** The number of the next worker to add when none is idle. */
  workers: number;
  /** Lets idle workers go once no run has been under way for idleMs. */
  retire: NodeJS.Timeout | null;
}

export interface ForkServerTimes {
  /** As the spawner process's client: a server that does not answer a start in this long fails it. */
  startTimeoutMs: number;
  /** How often workers are looked for that died without their report (killed on their own, which no kill of a run does). */
  sweepMs: number;
  /** Workers are let go when no run has been under way for this long (a burst's pool does not linger). */
  idleMs: number;
}

const TIMES: ForkServerTimes = { startTimeoutMs: 30_000, sweepMs: 5_000, idleMs: 60_000 };

let refs = 0;

export class ForkServer {
  private server: Server | null = null;
  /** The shell's own environment as this side knows it: what a run's request must set or unset on top. */
  private readonly env = new ServerEnvironment();
  private readonly times: ForkServerTimes;

  constructor(
    /** bash: job control without a terminal (POSIX sh = dash here refuses it). */
    private readonly shell: string,
    private readonly script: string,
    private readonly onError: (message: string) => void,
    times: Partial<ForkServerTimes> = {},
  ) {
    this.times = { ...TIMES, ...times };
  }

  /**
   * Starts a run in a worker (its folder exists): resolves with its pid and cgroup, and `ended` with its
   * exit status (128+N when signal N ended it). Throws with the reason when it cannot start.
   */
  start(request: SpawnRequest): Promise<SpawnedRun> {
    const server = this.running(request);
    const key = traceRun ? traceKey(request.files.dir) : '';
    const mode = wrapperCommand(request.command, request.args, 'bash');
    // A builtin run inside the worker forks nothing: it needs no cgroup.
    const cgroup = mode[0] === 'b' ? null : createRunCgroup(request.runId);
    const ref = String(++refs);
    const [sets, unsets] = this.env.difference(request);
    const words = [
      ref, cgroup ?? '', request.cwd, request.files.dir, request.stdinFile === null ? '' : '1',
      String(sets.length), ...sets.map(([name, value]) => `${name}=${value}`), String(unsets.length), ...unsets, ...mode,
    ];
    const worker = server.idle.pop() ?? server.workers++;
    let text: string;
    try {
      text = framed(`${worker} ${framed(words.map(shellWord).join(' '))}`);
    } catch (error) {
      server.idle.push(worker);
      if (cgroup) removeRunCgroup(cgroup);
      return Promise.reject(error);
    }
    server.workerOf.set(ref, worker);
    return new Promise<SpawnedRun>((resolve, reject) => {
      let ended: (end: Ended) => void = () => undefined;
      const endedPromise = new Promise<Ended>((settle) => {
        ended = settle;
      });
      const pending: Pending = {
        key, cgroup, endedPromise, ended,
        started: (run) => resolve(run),
        failed: (error) => {
          if (cgroup) removeRunCgroup(cgroup);
          reject(error);
        },
      };
      pending.timer = setTimeout(() => {
        this.forget(server, ref);
        server.abandoned.add(ref);
        pending.failed(new Error('the run server did not start the run'));
      }, this.times.startTimeoutMs);
      pending.timer.unref();
      server.pending.set(ref, pending);
      this.hold(server, true);
      // Noted before it is sent, as every hop that another process answers: the answer is always noted later.
      traceRun?.('s-sent', key);
      this.send(server, text);
      const keep = this.env.keep(sets);
      if (keep !== null) this.send(server, keep);
    });
  }

  /**
   * Lets the server's report pipe keep this process alive, or not (a closed launcher waits for
   * nothing); while it does, a sweep looks for workers gone without their report, and while it
   * does not, idle workers are let go after idleMs.
   */
  private hold(server: Server, held: boolean): void {
    if (server.held === held) return;
    server.held = held;
    const stdout = server.child.stdout as unknown as Socket | null;
    if (held) {
      stdout?.ref();
      server.sweep = setInterval(() => this.sweep(server), this.times.sweepMs);
      server.sweep.unref();
      if (server.retire) clearTimeout(server.retire);
      server.retire = null;
    } else {
      stdout?.unref();
      if (server.sweep) clearInterval(server.sweep);
      server.sweep = null;
      server.retire = setTimeout(() => this.retireIdle(server), this.times.idleMs);
      server.retire.unref();
    }
  }

  /** Idle workers exit (the server closes their pipes); a later run under the same number forks a new one. */
  private retireIdle(server: Server): void {
    server.retire = null;
    if (server.idle.length === 0) return;
    for (const worker of server.idle) this.send(server, framed(String(worker)));
  }

  /** The worker of a run whose end or failure was heard (or that is gone with it) serves the next run. */
  private release(server: Server, ref: string): void {
    const worker = server.workerOf.get(ref);
    if (worker === undefined) return;
    server.workerOf.delete(ref);
    server.idle.push(worker);
  }

  /**
   * A worker that died without saying its run ended (someone killed that bash itself: no kill of a
   * run reaches it) can report nothing: its run is then watched through its files, as a run
   * adopted after a restart is. Found gone twice in a row, so that a report already on its way
   * through the pipe is read first.
   */
  private sweep(server: Server): void {
    for (const [ref, run] of server.pending) {
      if (run.worker === undefined) continue;
      if (processAlive(run.worker)) run.gone = false;
      else if (!run.gone) run.gone = true;
      else {
        server.pending.delete(ref);
        // Its number is free again: the server forks a new worker for it when it finds the pipe closed.
        this.release(server, ref);
        run.ended({ status: null, signal: null, lost: true });
      }
    }
    if (server.pending.size === 0) this.hold(server, false);
  }

  /** A run this server no longer waits for; with none left, its pipe no longer keeps this process alive. */
  private forget(server: Server, ref: string): void {
    server.pending.delete(ref);
    if (server.pending.size === 0) this.hold(server, false);
  }

  close(): void {
    if (this.server) this.hold(this.server, false);
    if (this.server?.retire) clearTimeout(this.server.retire);
    this.server?.child.stdin?.end();
    this.server = null;
  }

  /** Requests of one turn of the event loop (a daemon's turn starting several runs) go in one write. */
  private send(server: Server, text: string): void {
    server.queued.push(text);
    if (server.queued.length > 1) return;
    process.nextTick(() => {
      server.child.stdin?.write(server.queued.join(''));
      server.queued.length = 0;
    });
  }

  /** One report line of a worker: "s REF PID WORKER", "e REF STATUS" or "f REF REASON". Parsed by hand: one a run's hop, on the coordinator's (or spawner's) only thread. */
  private report(server: Server, line: string): void {
    const space = line.indexOf(' ', 2);
    const ref = line.slice(2, space < 0 ? undefined : space);
    // Its worker serves the next run once this one ended or failed, whoever still waits for it.
    if (!line.startsWith('s ')) this.release(server, ref);
    const run = server.pending.get(ref);
    const rest = line.slice(space + 1);
    if (!run || space < 0) {
      // A run that started after its start was given up on (startTimeoutMs) is nobody's: ended at once.
      const pid = Number.parseInt(rest, 10);
      if (line.startsWith('s ') && server.abandoned.delete(ref) && pid > 1) signalGroup(pid, 'SIGKILL');
      return;
    }
    if (line.startsWith('s ') && run.started) {
      const [pid = NaN, worker = NaN] = rest.split(' ').map(Number);
      if (!Number.isInteger(pid) || pid <= 1) return;
      const started = run.started;
      run.started = null;
      run.worker = Number.isInteger(worker) && worker > 1 ? worker : undefined;
      clearTimeout(run.timer);
      started({ pid, cgroup: run.cgroup, ended: run.endedPromise });
    } else if (line.startsWith('e ') && !run.started) {
      this.forget(server, ref);
      traceRun?.('s-e', run.key);
      run.ended({ status: Number(rest), signal: null });
    } else if (line.startsWith('f ') && run.started) {
      clearTimeout(run.timer);
      this.forget(server, ref);
      run.failed(new Error(rest));
    }
  }

  /** The server, started unless it runs. The first run's environment is the shell's own, so later runs' requests carry only what differs. */
  private running(first: SpawnRequest): Server {
    if (this.server) return this.server;
    const env = this.env.reset(first);
    // Read, not run from its path: in the packaged app it sits inside app.asar, which only Node reads.
    const script = readFileSync(this.script, 'utf8');
    // No start-up files: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes may be).
    const child = execa(this.shell, ['--norc', '--noprofile', '-c', script, 'wg-run-server', traceFile()], {
      env, extendEnv: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe',
      // Its own session: signals to the coordinator's group (a ^C in its terminal) do not reach the runs.
      detached: true, reject: false, buffer: false, cleanup: false,
    });
    const server: Server = {
      child, pending: new Map(), queued: [], held: false, abandoned: new Set(), sweep: null, workerOf: new Map(), idle: [], workers: 0, retire: null,
    };
    child.stdin?.on('error', () => undefined);
    readLines(child.stdout as NodeJS.ReadableStream, (line) => this.report(server, line), () => {
      // Every worker that could report has exited (they hold this pipe): the runs not heard from
      // are not this process's to see any more; their folders tell.
      for (const run of server.pending.values()) {
        clearTimeout(run.timer);
        if (run.started) run.failed(new Error('the run server exited before the run started'));
        else run.ended({ status: null, signal: null, lost: true });
      }
      server.pending.clear();
    });
    readLines(child.stderr as NodeJS.ReadableStream, (line) => this.onError(`run server: ${line}`));
    // A server that exits is replaced for the next run; its workers finish their runs and report them on its pipe.
    child.once('exit', () => {
      if (this.server === server) this.server = null;
    });
    // The server does not keep this process alive (runs outlive it), nor does the pipe its workers
    // hold but while a run's start or end is awaited (hold).
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as Socket | null)?.unref();
    this.server = server;
    return server;
  }
}

/** Calls `line` for each line of a stream (the project's LineBuffer joins lines split across chunks), and `end` once it ends. */
function readLines(stream: NodeJS.ReadableStream, line: (text: string) => void, end?: () => void): void {
  const lines = new LineBuffer();
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    for (const text of lines.push(chunk)) line(text);
  });
  if (end) stream.once('end', end);
}

/**
 * The fork server for this system, or null where runs go through execa: Windows, no bash on PATH,
 * no script, or WG_FORK_SERVER=0 (which the tests use to run the execa path under the same checks).
 */
export function forkServerHere(env: NodeJS.ProcessEnv, script: string | null, onError: (message: string) => void): ForkServer | null {
  if (process.platform === 'win32' || env.WG_FORK_SERVER === '0' || script === null || !existsSync(script)) return null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    const bash = join(dir, 'bash');
    if (dir !== '' && existsSync(bash)) return bashFourOrLater(bash) ? new ForkServer(bash, script, onError) : null;
  }
  return null;
}

/** The server needs bash 4 ($BASHPID, `read -N`); macOS's /bin/bash is 3.2. Asked once per spawner. */
function bashFourOrLater(bash: string): boolean {
  try {
    return Number(execFileSync(bash, ['--norc', '--noprofile', '-c', 'echo "${BASH_VERSINFO[0]}"'], { encoding: 'utf8', timeout: 10_000 }).trim()) >= 4;
  } catch {
    return false;
  }
}

/**
 * Starts a run through the fork server, as spawnRun does through execa: its folder exists (with
 * its stdin file, if any); its command is in a cgroup of its own where the system allows one.
 */
export function forkRun(server: ForkServer, request: SpawnRequest): Promise<SpawnedRun> {
  return server.start(request);
}
