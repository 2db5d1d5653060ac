import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa, type ResultPromise } from 'execa';
import { cgroupBase, createRunCgroup, removeRunCgroup } from '../../agents/run-cgroup';
import { RUN_MARKER } from '../../agents/run-marker';
import { traceFile, traceKey, traceRun } from '../../runs/run-trace';
import { framed, isJobNotice, readLines, shellWord } from './run-server-words';
import type { SpawnedRun, SpawnEnd, SpawnRequest } from './spawner';
import { wrapperCommand } from './wrapper';

export { canCarry, isJobNotice, shellWord } from './run-server-words';

/**
 * The spawner's side of the run server (fork-server.sh, shipped next to the spawner bundle): one
 * long-lived bash that forks every run's job, because a fork of Node costs several times a fork of
 * a small shell (measured: the spawner's own CPU 0.6-0.7 ms a run against 2.2-2.6 ms through
 * execa). It forks them AHEAD of the runs: a spare job forks, joins its cgroup (a kernel RCU grace
 * period: 7-15 ms measured at load ~8) and connects back to this process over 127.0.0.1, so a run
 * costs, on its way to its command, one request on that connection and no fork, cgroup join or shell
 * hop. The connection is also how the run's end is known, as an event: the job says its status
 * (written to the run folder first) before it exits, which ends the run; the connection closes when
 * the job dies however it dies (the command never holds it): a close without a status is a run
 * killed as a whole, whose status the server's `wait` gives. execa (spawner.ts) stays the path on
 * Windows, without bash 4, and for runs the shell cannot carry exactly. The spawner, not the coordinator, feeds it: the run folder and cgroup it makes for
 * each run cost the coordinator's one thread 1.4 ms a task when it made them itself.
 */

/**
 * Never part of the shell's own environment: the run marker (a kill by marker must find the runs,
 * never the run server), and what bash keeps up to date for itself. A run gets them
 * from its request; `_` is set by bash to the command's path, as any shell does.
 */
const PER_RUN = new Set([RUN_MARKER, 'SHLVL', 'PWD', 'OLDPWD', '_']);

/**
 * Spares kept waiting beyond the runs asking for one: a few runs that start together (several
 * tasks made ready by one `wg done`) all find one. Each is a sleeping bash (a few MB, mostly shared).
 * More (one for each run under way) was tried on the 2,000-task DAG on a loaded machine and did not
 * help: there the server forks behind demand whatever the depth, and the spares' forks and cgroup
 * joins in flight slowed every other hop (notes/issue-12f.md).
 */
const SPARES = 2;

/** A job forked ahead of its run, connected, waiting for its request. */
interface Spare {
  socket: Socket;
  pid: number;
  /** Its cgroup, when it joined one. */
  cgroup: string | null;
  /** What its request must start with. */
  key: string;
  /** The server that forked it: only that one can tell how it ended. */
  server: ResultPromise;
}

/** Connections at most waiting for their greeting (spares being asked for are far fewer). */
const GREETING_MAX = 64;

type Ended = SpawnEnd & { lost?: boolean };

export class ForkServer {
  private child: ResultPromise | null = null;
  private listener: Promise<{ server: Server; port: number }> | null = null;
  private base: Record<string, string> = {};
  /** Spares asked for and not yet connected, by the word they will greet with. */
  private readonly asked = new Map<string, { key: string; cgroup: string | null; server: ResultPromise }>();
  private readonly idle: Spare[] = [];
  private readonly waiting: ((spare: Spare | Error) => void)[] = [];
  private readonly statuses = new Map<number, ((end: Ended) => void)[]>();
  private readonly greeting = new Set<Socket>();

  constructor(
    /** bash: job control without a terminal (POSIX sh = dash here refuses it). */
    private readonly shell: string,
    private readonly script: string,
    private readonly onError: (message: string) => void,
  ) {}

  /**
   * Starts a run's job (its folder exists): resolves with its pid and cgroup, and `ended` with its
   * exit status (128+N when signal N ended it). Throws with the reason when it cannot start.
   */
  async start(request: SpawnRequest): Promise<SpawnedRun> {
    const spare = await this.spare(request.env);
    const key = traceRun ? traceKey(request.files.dir) : '';
    traceRun?.('s-spare', key);
    const sets = Object.entries(request.env).filter(([name, value]) => this.base[name] !== value || PER_RUN.has(name));
    const unsets = Object.keys(this.base).filter((name) => !(name in request.env));
    const words = [
      request.cwd, request.files.dir, request.stdinFile === null ? '' : '1',
      String(sets.length), ...sets.map(([name, value]) => `${name}=${value}`), String(unsets.length), ...unsets,
      ...wrapperCommand(request.command, request.args, 'bash'),
    ];
    // Noted before it is sent, as every hop that another process answers: the answer is always noted later.
    traceRun?.('s-sent', key);
    let text: string;
    try {
      text = framed(words.map(shellWord).join(' '), `${spare.key} `);
    } catch (error) {
      // Its job ends with its connection, having read nothing.
      spare.socket.destroy();
      throw error;
    }
    spare.socket.write(text);
    return new Promise<SpawnedRun>((resolve, reject) => {
      let said = false;
      let answered = false;
      let failed = false;
      let settle: (end: Ended) => void = () => undefined;
      const ended = new Promise<Ended>((done) => {
        settle = done;
      });
      readLines(spare.socket, (line) => {
        if (line === 's' && !answered) {
          answered = true;
          resolve({ pid: spare.pid, cgroup: spare.cgroup, ended });
        } else if (line.startsWith('e ') && answered && !failed && !said) {
          // The job wrote the status to the run folder before it said it, and only exits now: the
          // run is over (its command ended), so its end is told at once, not at the close a moment
          // (a whole scheduling round on a busy machine: 0.5 ms p50, 5 ms p90) later.
          said = true;
          traceRun?.('s-e', key);
          settle({ status: Number(line.slice(2)), signal: null });
        } else if (line.startsWith('f ') && !answered) {
          answered = true;
          failed = true;
          reject(new Error(line.slice(2)));
        }
      });
      spare.socket.once('close', () => {
        traceRun?.('s-close', key);
        if (!answered || failed) {
          // Its cgroup held nothing but the job (gone, or leaving: then the start-up sweep removes it).
          if (spare.cgroup) removeRunCgroup(spare.cgroup);
          if (!answered) reject(new Error('the run ended before its command started'));
          answered = true;
        } else if (!said) {
          // Killed as a whole: it said nothing; the server that forked it knows how it ended.
          void this.statusOf(spare).then(settle);
        }
      });
    });
  }

  close(): void {
    this.child?.stdin?.end();
    this.child = null;
    for (const spare of this.idle.splice(0)) spare.socket.destroy();
    for (const take of this.waiting.splice(0)) take(new Error('the run server closed'));
    void this.listener?.then(({ server }) => server.close());
    this.listener = null;
  }

  /** An idle spare, or the next one to connect; more are asked for so that SPARES stay waiting. */
  private async spare(env: Record<string, string>): Promise<Spare> {
    await this.running(env);
    for (let spare = this.idle.shift(); spare; spare = this.idle.shift()) {
      if (usable(spare)) {
        this.topUp();
        return spare;
      }
      spare.socket.destroy();
    }
    const next = new Promise<Spare | Error>((take) => this.waiting.push(take));
    this.topUp();
    const spare = await next;
    if (spare instanceof Error) throw spare;
    return spare;
  }

  private topUp(): void {
    const child = this.child;
    if (!child) return;
    for (let want = this.waiting.length + SPARES - this.idle.length - this.asked.size; want > 0; want--) {
      const hello = randomBytes(16).toString('hex');
      const key = randomBytes(16).toString('hex');
      traceRun?.('s-ask', hello.slice(0, 12));
      const cgroup = createRunCgroup(`s${hello.slice(0, 20)}`);
      this.asked.set(hello, { key, cgroup, server: child });
      traceRun?.('s-asked', hello.slice(0, 12));
      child.stdin?.write(framed(`__wg_spare ${[cgroup ?? '', hello, key].map(shellWord).join(' ')}`));
    }
  }

  /** A connection that greets with the word of a spare asked for is that spare; any other is closed. */
  private connected(socket: Socket): void {
    socket.on('error', () => undefined);
    socket.unref();
    // Connections that have not greeted are few (a spare greets as it connects): past a handful, the oldest is nobody's spare.
    this.greeting.add(socket);
    if (this.greeting.size > GREETING_MAX) [...this.greeting][0]?.destroy();
    socket.once('close', () => this.greeting.delete(socket));
    const stop = readLines(socket, (line) => {
      stop();
      this.greeting.delete(socket);
      const [hello = '', pid = '', joined] = line.split(' ');
      const asked = this.asked.get(hello);
      if (!asked || !/^\d+$/.test(pid)) {
        socket.destroy();
        return;
      }
      this.asked.delete(hello);
      traceRun?.('s-greet', hello.slice(0, 12));
      if (asked.cgroup && joined !== '1') removeRunCgroup(asked.cgroup);
      const spare: Spare = { socket, pid: Number(pid), cgroup: joined === '1' ? asked.cgroup : null, key: asked.key, server: asked.server };
      // A spare that dies while it waits (someone killed it) is dropped, with its cgroup.
      socket.once('close', () => {
        const at = this.idle.indexOf(spare);
        if (at < 0) return;
        this.idle.splice(at, 1);
        if (spare.cgroup) removeRunCgroup(spare.cgroup);
      });
      if (!usable(spare)) {
        socket.destroy();
        this.topUp();
        return;
      }
      const take = this.waiting.shift();
      if (take) take(spare);
      else this.idle.push(spare);
    }, 200);
  }

  /** How a job killed as a whole ended: `wait` in the server that forked it, or lost when that one is gone. */
  private statusOf(spare: Spare): Promise<Ended> {
    if (spare.server !== this.child) return Promise.resolve({ status: null, signal: null, lost: true });
    return new Promise((settle) => {
      const waiting = this.statuses.get(spare.pid) ?? [];
      waiting.push(settle);
      this.statuses.set(spare.pid, waiting);
      if (waiting.length === 1) spare.server.stdin?.write(framed(`__wg_status ${spare.pid}`));
    });
  }

  /** Starts the server (and the port its spares connect to) unless it runs. Returns nothing: a child process is a promise, which `await` would wait for. */
  private async running(env: Record<string, string>): Promise<void> {
    this.listener ??= listen((socket) => this.connected(socket));
    const { port } = await this.listener;
    if (this.child) return;
    // The first run's environment is the shell's own, so later runs' requests carry only what differs.
    this.base = Object.fromEntries(Object.entries(env).filter(([name]) => !PER_RUN.has(name)));
    // Read, not run from its path: in the packaged app it sits inside app.asar, which only Node reads.
    const script = readFileSync(this.script, 'utf8');
    // No start-up files: bash reads ~/.bashrc when its stdin is a socket (as Node's pipes are).
    const child = execa(this.shell, ['--norc', '--noprofile', '-c', script, 'wg-run-server', String(port), traceFile()], {
      env: this.base, extendEnv: false, stdin: 'pipe', stdout: 'pipe', stderr: 'pipe',
      // Its own session: signals to the coordinator's group (a ^C in its terminal) do not reach the runs.
      detached: true, reject: false, buffer: false, cleanup: false,
    });
    child.stdin?.on('error', () => undefined);
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      // "x PID STATUS": how a job ended.
      const [kind, pid, status] = line.split(' ');
      const waiting = kind === 'x' ? this.statuses.get(Number(pid)) : undefined;
      this.statuses.delete(Number(pid));
      for (const settle of waiting ?? []) settle({ status: Number(status), signal: null });
    });
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      // With job control on (`set -m`), bash announces some jobs' ends on its stderr ("[12]+  Done
      // eval __wg_spare ..."); the ends themselves come through the connections, so those are not errors.
      if (!isJobNotice(line)) this.onError(`run server: ${line}`);
    });
    void child.then(() => {
      if (this.child === child) this.child = null;
      for (const [hello, asked] of this.asked) if (asked.server === child) this.asked.delete(hello);
      for (const waiting of this.statuses.values()) for (const settle of waiting) settle({ status: null, signal: null, lost: true });
      this.statuses.clear();
      // Runs still waiting for a spare get one from the next server.
      if (this.waiting.length > 0) void this.running(this.base).then(() => this.topUp(), () => undefined);
    });
    child.unref();
    this.child = child;
  }
}

/**
 * Whether a spare can take a run: it is connected, and it is in a cgroup only where the system
 * gives cgroups (a spare made before cgroups were switched off, as tests do, is not used).
 */
function usable(spare: Spare): boolean {
  return !spare.socket.destroyed && (spare.cgroup === null || cgroupBase() !== null);
}

/** The spawner's port on the loopback interface, where spares connect. */
function listen(connected: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer(connected);
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.unref();
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
    });
  });
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
 * its stdin file, if any); its job is in a cgroup of its own where the system allows one.
 */
export function forkRun(server: ForkServer, request: SpawnRequest): Promise<SpawnedRun> {
  return server.start(request);
}
