import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { createRunCgroup, removeRunCgroup } from '../../agents/run-cgroup';
import { processAlive } from '../../agents/process-group';
import { RUN_MARKER } from '../../agents/run-marker';
import type { SpawnedRun, SpawnEnd, SpawnRequest } from './spawner';
import { wrapperCommand } from './wrapper';

/**
 * The spawner's side of the run server (fork-server.sh, shipped next to the spawner bundle): one
 * long-lived bash that starts every run it can carry with ONE fork of itself (the run's job, which
 * joins the cgroup, records pid and exit status like the wrapper and evaluates a bash line in
 * place), because a fork of Node costs several times a fork of a small shell, and every further
 * process a run takes waits in the run queue of a loaded machine (measured: the spawner's own CPU
 * 0.6-0.7 ms a run against 2.2-2.6 ms through execa; an earlier server that forked a watcher and
 * exec'd /bin/sh for each run was no faster than execa). execa (spawner.ts) stays the path on
 * Windows, without bash 4, and for runs the shell cannot carry exactly. The spawner, not the
 * coordinator, feeds it: the run folder and cgroup it makes for each run cost the coordinator's one
 * thread 1.4 ms a task when it made them itself (bench:dispatch, daemon CPU 2.85 against 1.44 ms).
 */

/**
 * Names a shell acts on itself or cannot set: a run whose environment has one goes through execa,
 * which passes any environment untouched.
 */
const SHELL_NAMES = /^(IFS|ENV|BASH\w*|SHELLOPTS|POSIXLY_CORRECT|PS[1-4]|OPTIND|OPTARG|PPID|UID|EUID|GROUPS|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH\w*|CDPATH|TMOUT|EXECIGNORE|GLOBIGNORE|HISTCMD|FUNCNAME|DIRSTACK|COMP_\w*|__wg_\w*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Never part of the shell's own environment: the run marker (a kill by marker must find the runs,
 * never the run server), and what bash keeps up to date for itself. A run gets them
 * from its request; `_` is set by bash to the command's path, as any shell does.
 */
const PER_RUN = new Set([RUN_MARKER, 'SHLVL', 'PWD', 'OLDPWD', '_']);

/** bash's job-status notice for one of the server's own jobs: its command is always `__wg_job ...`. */
const JOB_NOTICE = /^\[\d+\][+-]?\s+\S.*\s__wg_job\b/;
export const isJobNotice = (line: string): boolean => JOB_NOTICE.test(line);

/** One shell word, in single quotes; a newline becomes `$__wg_nl` (the server reads a line at a time). */
export function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`).replace(/\n/g, `'"$__wg_nl"'`)}'`;
}

/** Whether the fork server can start this run exactly as execa would (else execa starts it). */
export function canCarry(request: Pick<SpawnRequest, 'command' | 'args' | 'env' | 'cwd' | 'stdinFile' | 'files'>): boolean {
  // The server reads a run's stdin from the run folder's `stdin` file (where the spawner writes it).
  if (request.stdinFile !== null && request.stdinFile !== request.files.stdin) return false;
  const words = [request.command, ...request.args, request.cwd, request.files.dir, request.stdinFile ?? '', ...Object.values(request.env)];
  if (words.some((word) => word.includes('\0'))) return false;
  return Object.keys(request.env).every((name) => NAME.test(name) && !SHELL_NAMES.test(name));
}

interface Pending {
  /** The job's pid, once the server said it started. */
  pid: number | null;
  /** Its end came before its start (a quick run reports itself before the server answers `s`). */
  early: SpawnEnd | null;
  /** The job was seen gone with its end unreported, at this tick; the server was asked to reap it. */
  goneAt: number | null;
  started(pid: number): void;
  failed(reason: string): void;
  ended(end: SpawnEnd & { lost?: boolean }): void;
}

/** How often the pids of runs under way are checked, to notice runs killed as a whole (no report of their own). */
const LIVENESS_MS = 250;

/** Runs whose end the server has not reported: lost if it cannot tell any more (their files will). */
export class ForkServer {
  private child: ResultPromise | null = null;
  private base: Record<string, string> = {};
  private readonly pending = new Map<string, Pending>();
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private ticks = 0;

  constructor(
    /** bash: job control without a terminal (POSIX sh = dash here refuses it). */
    private readonly shell: string,
    private readonly script: string,
    private readonly onError: (message: string) => void,
  ) {}

  /**
   * Starts a run's job (its folder exists): resolves with its pid, and `ended` with its exit
   * status (128+N when signal N ended it). Throws with the reason when it cannot start.
   */
  start(request: SpawnRequest, cgroup: string | null): Promise<{ pid: number; ended: Promise<SpawnEnd & { lost?: boolean }> }> {
    const ref = `f${++this.next}`;
    const child = this.running(request.env);
    const sets = Object.entries(request.env).filter(([name, value]) => this.base[name] !== value || PER_RUN.has(name));
    const unsets = Object.keys(this.base).filter((name) => !(name in request.env));
    const words = [
      ref, request.cwd, request.files.dir, request.stdinFile === null ? '' : '1', cgroup ?? '',
      String(sets.length), ...sets.map(([name, value]) => `${name}=${value}`), String(unsets.length), ...unsets,
      ...wrapperCommand(request.command, request.args, 'bash'),
    ];
    return new Promise((resolve, reject) => {
      let settle: (end: SpawnEnd & { lost?: boolean }) => void = () => undefined;
      const ended = new Promise<SpawnEnd & { lost?: boolean }>((done) => {
        settle = done;
      });
      const waiting: Pending = {
        pid: null, early: null, goneAt: null,
        started: (pid) => {
          resolve({ pid, ended });
          if (waiting.early) this.pending.delete(ref);
          else waiting.pid = pid;
          this.watchLiveness();
        },
        failed: (reason) => {
          this.pending.delete(ref);
          reject(new Error(reason));
        },
        ended: (end) => {
          if (waiting.pid === null && !end.lost) waiting.early = end;
          else this.pending.delete(ref);
          settle(end);
        },
      };
      this.pending.set(ref, waiting);
      child.stdin?.write(`__wg_start ${words.map(shellWord).join(' ')}\n`);
    });
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = null;
    this.stopLiveness();
  }

  private running(env: Record<string, string>): ResultPromise {
    if (this.child) return this.child;
    // The first run's environment is the shell's own, so later runs' requests carry only what differs.
    this.base = Object.fromEntries(Object.entries(env).filter(([name]) => !PER_RUN.has(name)));
    // Read, not run from its path: in the packaged app it sits inside app.asar, which only Node reads.
    const script = readFileSync(this.script, 'utf8');
    // No start-up files: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are).
    const child = execa(this.shell, ['--norc', '--noprofile', '-c', script, 'wg-run-server'], {
      env: this.base, extendEnv: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe',
      // Its own session: signals to the coordinator's group (a ^C in its terminal) do not reach the runs.
      detached: true, reject: false, buffer: false, cleanup: false,
    });
    child.stdin?.on('error', () => undefined);
    // The pipe stays open while any job lives (each holds it to report its end), even after the shell ended.
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => this.answer(line));
    lines.on('close', () => {
      for (const waiting of this.pending.values()) {
        waiting.failed('the run server exited');
        waiting.ended({ status: null, signal: null, lost: true });
      }
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      // With job control on (`set -m`), bash announces some jobs' ends on its stderr ("[12]+  Exit 11
      // __wg_job ..."); the ends themselves come through the protocol, so those lines are not errors.
      if (!isJobNotice(line)) this.onError(`run server: ${line}`);
    });
    child.on('exit', () => {
      if (this.child === child) this.child = null;
    });
    child.unref();
    this.child = child;
    return child;
  }

  /** "s REF PID", "e REF STATUS" or "f REF REASON". */
  private answer(line: string): void {
    const [kind, ref, ...rest] = line.split(' ');
    const waiting = this.pending.get(ref ?? '');
    const value = rest.join(' ');
    if (kind === 's') {
      if (waiting) waiting.started(Number(value));
      // Answered after its start was given up (the server went away meanwhile): nobody watches it.
      else stopStray(Number(value));
    } else if (kind === 'e') waiting?.ended({ status: Number(value), signal: null });
    else if (kind === 'f') waiting?.failed(value);
  }

  /**
   * A run killed as a whole reports nothing itself, and the server notices only when it next reads
   * a request (bash defers the CHLD trap until `read` returns): while runs are under way, their
   * pids are checked, and for one gone unreported the server is asked to reap (it reports the
   * status `wait` gives). If no report comes by the next check, the run is lost (its files tell).
   */
  private watchLiveness(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.checkLiveness(), LIVENESS_MS);
    this.timer.unref();
  }

  private stopLiveness(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private checkLiveness(): void {
    this.ticks += 1;
    let nudge = false;
    let watching = false;
    for (const waiting of this.pending.values()) {
      if (waiting.pid === null) continue;
      watching = true;
      if (processAlive(waiting.pid)) continue;
      if (waiting.goneAt === null && this.child) {
        waiting.goneAt = this.ticks;
        nudge = true;
      } else if (waiting.goneAt === null || this.ticks - waiting.goneAt >= 2) {
        waiting.ended({ status: null, signal: null, lost: true });
      }
    }
    if (nudge) this.child?.stdin?.write('__wg_reap\n');
    if (!watching) this.stopLiveness();
  }
}

function stopStray(pid: number): void {
  if (!Number.isInteger(pid) || pid <= 1) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
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

/** The server needs bash 4 (associative arrays, $BASHPID); macOS's /bin/bash is 3.2. Asked once per spawner. */
function bashFourOrLater(bash: string): boolean {
  try {
    return Number(execFileSync(bash, ['--norc', '--noprofile', '-c', 'echo "${BASH_VERSINFO[0]}"'], { encoding: 'utf8', timeout: 10_000 }).trim()) >= 4;
  } catch {
    return false;
  }
}

/**
 * Starts a run through the fork server, as spawnRun does through execa: its folder exists (with
 * its stdin file, if any); its cgroup is made here where the system allows one.
 */
export async function forkRun(server: ForkServer, request: SpawnRequest): Promise<SpawnedRun> {
  const cgroup = await createRunCgroup(request.runId);
  try {
    const started = await server.start(request, cgroup);
    return { pid: started.pid, cgroup, ended: started.ended };
  } catch (error) {
    if (cgroup) removeRunCgroup(cgroup);
    throw error;
  }
}
