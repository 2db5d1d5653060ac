import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { wrapperArgs } from './wrapper';

export interface HelperLaunch {
  agentId: string;
  dir: string;
  command: string;
  args: string[];
  /** Variables on top of the helper's own environment (the coordinator's). */
  env: Record<string, string>;
  cwd: string;
  stdinFile: string | null;
  /** Written to `launch.json` by the job itself: the shell's builtin printf, off the daemon's thread. */
  launchRecord?: string;
}

const LOOP = 'while IFS= read -r __wg_job; do eval "$__wg_job"; done';
const START_TIMEOUT_MS = 10_000;
const REAP_EVERY_MS = 100;
const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

function onPath(program: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, program)));
}

/**
 * Starts agents through a small long-lived shell instead of forking this (large) Node process for
 * each: a fork of `sh` costs a fraction of a fork of Node, and the work happens in another process.
 * Each job is one line: `(cd DIR && export VARS && exec setsid sh -c WRAPPER …) <in >>out 2>>err &`, then the
 * launch record is written to `launch.json` (a builtin printf: off the daemon's thread, no fork).
 * The helper answers "s <agent> <pid>"; the wrapper reports "x <run folder> <status>" on the same
 * pipe when the command ends. A job that one line cannot carry (a newline in a value) or a system
 * without `setsid` uses the direct spawn instead (`usable`, `canCarry`).
 */
export class SpawnHelper {
  private helper: ChildProcessWithoutNullStreams | null = null;
  private readonly unreaped = new Set<number>();
  private reaper: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, { resolve(pid: number): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  readonly usable = process.platform !== 'win32' && onPath('setsid');

  constructor(
    private readonly env: Record<string, string>,
    private readonly onExit: (agentId: string) => void,
    private readonly onError: (message: string) => void,
  ) {}

  canCarry(job: HelperLaunch): boolean {
    const values = [job.dir, job.command, job.cwd, job.stdinFile ?? '', job.launchRecord ?? '', ...job.args, ...Object.values(job.env)];
    return values.every((v) => !/[\n\r\0]/.test(v)) && Object.keys(job.env).every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  }

  /** Resolves with the wrapper's pid once it is started. */
  start(job: HelperLaunch): Promise<number> {
    const helper = this.running();
    const vars = Object.entries(job.env).map(([k, v]) => `${k}=${quote(v)}`);
    // A bare `export` would print every variable into the agent's output.
    const exports = vars.length > 0 ? ` && export ${vars.join(' ')}` : '';
    const command = ['setsid', '/bin/sh', ...wrapperArgs(job.dir, job.command, job.args, true)].map(quote).join(' ');
    const stdin = job.stdinFile ? quote(job.stdinFile) : '/dev/null';
    // After the job is on its way and answered for: creating a file is not on the start's path.
    const record = job.launchRecord === undefined ? '' : `; printf '%s' ${quote(job.launchRecord)} >${quote(join(job.dir, 'launch.json'))}`;
    const line = `(cd ${quote(job.cwd)}${exports} && exec ${command}) 3>&1 <${stdin} >>${quote(join(job.dir, 'stdout'))} 2>>${quote(join(job.dir, 'stderr'))} & echo "s ${job.agentId} $!"${record}\n`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(job.agentId);
        reject(new Error('the spawn helper did not answer'));
      }, START_TIMEOUT_MS);
      this.pending.set(job.agentId, { resolve, reject, timer });
      helper.stdin.write(line);
    });
  }

  /**
   * `sh` collects its finished children only when it runs something; until then they are zombies,
   * and a zombie keeps its process group "alive" for whoever waits for it to go (wg kill). So while
   * any started wrapper has not been collected, the helper is given a no-op line now and then.
   */
  private reap(): void {
    for (const pid of this.unreaped) {
      try {
        process.kill(pid, 0);
      } catch {
        this.unreaped.delete(pid);
      }
    }
    if (this.unreaped.size === 0 || !this.helper) {
      if (this.reaper) clearInterval(this.reaper);
      this.reaper = null;
      return;
    }
    this.helper.stdin.write(':\n');
  }

  private track(pid: number): void {
    this.unreaped.add(pid);
    if (!this.reaper) {
      this.reaper = setInterval(() => this.reap(), REAP_EVERY_MS);
      this.reaper.unref();
    }
  }

  close(): void {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = null;
    this.helper?.stdin.end();
    // Wrappers still hold the pipe; their reports are not wanted once we stop.
    this.helper?.stdout.destroy();
    this.helper = null;
  }

  private stray(pid: number): void {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    this.onError(`spawn helper: a job started too late (pid ${pid}) was stopped`);
  }

  private running(): ChildProcessWithoutNullStreams {
    if (this.helper) return this.helper;
    const helper = spawn('/bin/sh', ['-c', LOOP], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'] });
    helper.unref();
    createInterface({ input: helper.stdout }).on('line', (line) => this.onLine(line));
    createInterface({ input: helper.stderr }).on('line', (line) => this.onError(`spawn helper: ${line}`));
    helper.stdin.on('error', () => undefined);
    helper.on('exit', (code, signal) => {
      if (this.helper === helper) this.helper = null;
      for (const [agentId, waiting] of this.pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`the spawn helper exited (${signal ?? code})`));
        this.pending.delete(agentId);
      }
    });
    this.helper = helper;
    return helper;
  }

  private onLine(line: string): void {
    // "s <agent> <pid>" or "x <run folder, may hold spaces> <status>".
    const kind = line.slice(0, 2);
    const who = line.slice(2, line.lastIndexOf(' '));
    const value = line.slice(line.lastIndexOf(' ') + 1);
    if (kind === 's ') {
      const waiting = this.pending.get(who);
      if (!waiting) {
        // Started after we gave up on it (and the scheduler already judged the launch failed): stop it.
        this.stray(Number(value));
        return;
      }
      clearTimeout(waiting.timer);
      this.pending.delete(who);
      this.track(Number(value));
      waiting.resolve(Number(value));
    } else if (kind === 'x ') {
      this.onExit(basename(who));
    }
  }
}
