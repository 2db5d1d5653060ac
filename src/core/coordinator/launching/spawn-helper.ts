import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { helperScript, onPath, quote, REAP_LINE, type HelperMode } from './spawn-helper-script';
import { wrapperCommand } from './wrapper';

export interface HelperLaunch {
  agentId: string;
  dir: string;
  command: string;
  args: string[];
  /** Variables on top of the helper's own environment (the coordinator's). */
  env: Record<string, string>;
  cwd: string;
  stdinFile: string | null;
}

const START_TIMEOUT_MS = 10_000;
const PROBE_TIMEOUT_MS = 5_000;
const REAP_EVERY_MS = 100;
/** Names the helper shell itself would act on, or cannot export: such a job is started directly. */
const SHELL_NAMES = /^(IFS|ENV|BASH_ENV|BASH\w*|SHELLOPTS|POSIXLY_CORRECT|PS[1-4]|OPTIND|OPTARG|PPID|UID|EUID|LINENO|RANDOM|SECONDS|CDPATH|__wg_\w*)$/;

/** bash's notice of a job ended by a signal: "<shell>: line N: <pid> <signal name> <command>". */
const JOB_NOTICE = /: line \d+: +\d+ /;

interface Helper {
  process: ChildProcessWithoutNullStreams;
  mode: HelperMode;
  /** Variables the helper has exported on top of its start environment, as it has them now. */
  exported: Map<string, string>;
  /** Its `$__wg_r` (runs folder) and `$__wg_cwd` (working folder) now. */
  runs: string | null;
  cwd: string | null;
  /** Job lines not yet written (see `send`). */
  unsent: string;
}

/**
 * Starts agents through a small long-lived shell instead of forking this (large) Node process for
 * each: the shell's fork is a fraction of Node's, and the work happens in another process. The
 * shell reads its commands from the pipe as a script (buffered by dash; bash reads a byte at a time,
 * so job lines are kept short): `__wg_job RUN STDIN i|l|x ...`, after assignments for what differs from
 * the previous job (runs folder, working folder, `export`/`unset` of variables: usually the two ids).
 *
 * Every run needs its own process group. `group` mode (bash, checked once by a probe): job control
 * gives each background job one, and the job's forked shell is the wrapper, so a run costs one fork
 * (two for a line that needs a subshell) and no exec. `session` mode (any sh with `setsid`): the job execs `setsid sh -c WRAPPER`. The helper answers
 * "s <run> <pid>"; the wrapper reports "x <run folder> <status>" on the same pipe when the command
 * ends. Without either (or for a job it cannot carry), `start` gives null and the caller spawns directly.
 */
export class SpawnHelper {
  private helper: Promise<Helper | null> | null = null;
  /** The shell last started (the one jobs are written to, once `helper` resolves). */
  private current: Helper | null = null;
  private readonly unreaped = new Set<number>();
  private reaper: NodeJS.Timeout | null = null;
  private readonly pending = new Map<string, { resolve(pid: number): void; reject(error: Error): void; timer: NodeJS.Timeout }>();
  private probe: ((pid: number) => void) | null = null;
  private closed = false;
  private readonly bash = process.platform === 'win32' ? null : onPath('bash');
  private readonly setsid = process.platform !== 'win32' && onPath('setsid') !== null;

  constructor(
    private readonly env: Record<string, string>,
    private readonly onExit: (agentId: string, status: number | null) => void,
    private readonly onError: (message: string) => void,
    /** Which modes to try, in order (tests pin one). */
    private readonly modes: readonly HelperMode[] = ['group', 'session'],
  ) {}

  canCarry(job: HelperLaunch): boolean {
    const values = [job.dir, job.command, job.cwd, job.stdinFile ?? '', ...job.args, ...Object.values(job.env)];
    return values.every((v) => !v.includes('\0')) && Object.keys(job.env).every((k) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !SHELL_NAMES.test(k));
  }

  /** Resolves with the wrapper's pid once it is started, or null when no helper can start it. */
  async start(job: HelperLaunch): Promise<number | null> {
    if (!this.canCarry(job)) return null;
    const helper = await this.running();
    if (!helper) return null;
    const line = `${this.settingsFor(helper, job)}__wg_job ${[basename(job.dir), job.stdinFile ?? '/dev/null', ...wrapperCommand(job.command, job.args, helper.mode === 'group')].map(quote).join(' ')}\n`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(job.agentId);
        reject(new Error('the spawn helper did not answer'));
      }, START_TIMEOUT_MS);
      this.pending.set(job.agentId, { resolve, reject, timer });
      this.send(helper, line);
    });
  }

  /** Job lines of one turn go out in one write (one wake-up of the helper), after the turn's last start. */
  private send(helper: Helper, line: string): void {
    if (helper.unsent === '') queueMicrotask(() => {
      const lines = helper.unsent;
      helper.unsent = '';
      helper.process.stdin.write(lines);
    });
    helper.unsent += line;
  }

  close(): void {
    this.closed = true;
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = null;
    void this.helper?.then((helper) => {
      helper?.process.stdin.end();
      // Wrappers still hold the pipe; their reports are not wanted once we stop.
      helper?.process.stdout.destroy();
    });
    this.helper = null;
  }

  /**
   * The folders and `export`/`unset` for what differs between the helper's settings and the job's:
   * usually just the two ids in the environment.
   */
  private settingsFor(helper: Helper, job: HelperLaunch): string {
    const commands: string[] = [];
    const runs = dirname(job.dir);
    if (helper.runs !== runs) commands.push(`__wg_r=${quote(runs)}`);
    if (helper.cwd !== job.cwd) commands.push(`__wg_cwd=${quote(job.cwd)}`);
    helper.runs = runs;
    helper.cwd = job.cwd;
    const wanted = job.env;
    for (const [name, value] of Object.entries(wanted)) {
      if ((helper.exported.get(name) ?? this.env[name]) === value) continue;
      commands.push(`export ${name}=${quote(value)}`);
      helper.exported.set(name, value);
    }
    for (const name of [...helper.exported.keys()]) {
      if (name in wanted) continue;
      const base = this.env[name];
      commands.push(base === undefined ? `unset ${name}` : `export ${name}=${quote(base)}`);
      helper.exported.delete(name);
    }
    return commands.map((c) => `${c}; `).join('');
  }

  private running(): Promise<Helper | null> {
    if (this.closed) return Promise.resolve(null);
    this.helper ??= this.open();
    return this.helper;
  }

  private async open(): Promise<Helper | null> {
    for (const mode of this.modes) {
      if (mode === 'group' && this.bash) {
        const helper = this.launch(this.bash, 'group');
        if (await this.probeGroups(helper)) return helper;
        helper.process.stdin.end();
      }
      if (mode === 'session' && this.setsid) return this.launch('/bin/sh', 'session');
    }
    return null;
  }

  private launch(shell: string, mode: HelperMode): Helper {
    // Its own session: no terminal for any agent, and job control has nothing to hand the terminal to.
    const child = spawn(shell, ['-s'], { env: this.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.unref();
    const helper: Helper = { process: child, mode, exported: new Map(), runs: null, cwd: null, unsent: '' };
    createInterface({ input: child.stdout }).on('line', (line) => this.onLine(line));
    createInterface({ input: child.stderr }).on('line', (line) => {
      // bash tells of jobs that died by a signal ("line 7:  4257 Killed  …"): the run's own report covers that.
      if (!JOB_NOTICE.test(line)) this.onError(`spawn helper: ${line}`);
    });
    child.stdin.on('error', () => undefined);
    child.on('exit', (code, signal) => {
      if (this.helper && this.current === helper) this.helper = null;
      for (const [agentId, waiting] of this.pending) {
        clearTimeout(waiting.timer);
        waiting.reject(new Error(`the spawn helper exited (${signal ?? code})`));
        this.pending.delete(agentId);
      }
    });
    child.stdin.write(helperScript(mode));
    this.current = helper;
    return helper;
  }

  /** Starts a `sleep` as a job and checks it leads a process group of its own. */
  private probeGroups(helper: Helper): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.probe = null;
        resolve(false);
      }, PROBE_TIMEOUT_MS);
      this.probe = (pid) => {
        clearTimeout(timer);
        this.probe = null;
        let ownGroup = false;
        try {
          process.kill(-pid, 0);
          ownGroup = true;
        } catch {
          // Not a group leader: job control did not take.
        }
        try {
          process.kill(ownGroup ? -pid : pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
        resolve(ownGroup);
      };
      helper.process.stdin.write('sleep 5 & echo "p $!"\n');
    });
  }

  /**
   * A shell collects its finished children only when it runs something (dash), and a zombie keeps
   * its process group "alive" for whoever waits for it to go (wg kill). So while any started wrapper
   * has not been collected, the helper is given `REAP_LINE` now and then.
   */
  private reap(): void {
    for (const pid of this.unreaped) {
      try {
        process.kill(pid, 0);
      } catch {
        this.unreaped.delete(pid);
      }
    }
    if (this.unreaped.size === 0 || !this.current) {
      if (this.reaper) clearInterval(this.reaper);
      this.reaper = null;
      return;
    }
    this.current.process.stdin.write(REAP_LINE);
  }

  private track(pid: number): void {
    this.unreaped.add(pid);
    if (!this.reaper) {
      this.reaper = setInterval(() => this.reap(), REAP_EVERY_MS);
      this.reaper.unref();
    }
  }

  private stray(pid: number): void {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    this.onError(`spawn helper: a job started too late (pid ${pid}) was stopped`);
  }

  private onLine(line: string): void {
    // "s <run> <pid>", "x <run folder> <status>" (folders may hold spaces) or "p <probe pid>".
    const kind = line.slice(0, 2);
    const who = basename(line.slice(2, line.lastIndexOf(' ')));
    const value = Number.parseInt(line.slice(line.lastIndexOf(' ') + 1), 10);
    if (kind === 's ') {
      const waiting = this.pending.get(who);
      if (!waiting) {
        // Started after we gave up on it (and the scheduler already judged the launch failed): stop it.
        this.stray(value);
        return;
      }
      clearTimeout(waiting.timer);
      this.pending.delete(who);
      this.track(value);
      waiting.resolve(value);
    } else if (kind === 'x ') {
      this.onExit(who, Number.isInteger(value) ? value : null);
    } else if (kind === 'p ') {
      this.probe?.(value);
    }
  }
}
