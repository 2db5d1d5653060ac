import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from '../../../src/shared/agent';
import type { IndexedRunEvent } from '../../../src/shared/run-event';
import type { ServiceStatus } from '../../../src/shared/service-types';
import type { Task } from '../../../src/shared/task';
import { Store } from '../../../src/core/store/store';
import { projectPaths, type ProjectPaths } from '../../../src/core/project';
import { initProject } from '../../../src/core/opening/init-project';
import { readRunEvents, runDir } from '../../../src/core/run-folder/run-log';
import { readServiceState } from '../../../src/core/service-state/state-file';
import { processAlive } from '../../../src/core/processes/process-group';
import { runHandle } from '../../../src/core/run-folder/run-handle';
import { killRuns } from '../../../src/core/processes/kill-runs';

export { WG_BIN, type CliResult } from '../../helpers/wg-cli';
import { type CliResult, wgInProcess } from '../../helpers/wg-cli';
import { until } from '../../helpers/until';

/** Whether a process (or, with a negative pid, a process group) still exists. */
export function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export const isZombieOrGone = (pid: number): boolean => !processAlive(pid);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `until` with this helper's own defaults (60 s, every 50 ms): a hang guard, long enough for a loaded CI machine. */
export function waitFor<T>(
  what: string,
  probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 50,
): Promise<T> {
  return until(what, probe, timeoutMs, everyMs);
}

/**
 * A temporary project driven through the real `wg` CLI and daemon, with its own global home.
 * Reads go straight to the SQLite file (cheap enough to poll); every change goes through `wg`.
 */
export class DaemonProject {
  readonly root: string;
  readonly home: string;
  readonly paths: ProjectPaths;
  private reader: Store | null = null;

  /**
   * `baseEnv`, when given, replaces this process's environment for every `wg` (and so for the
   * daemon and its agents): tests of real AI CLIs must not inherit real credentials.
   */
  constructor(
    prefix = 'wg-daemon-',
    readonly extraEnv: Record<string, string> = {},
    private readonly baseEnv: Record<string, string> | null = null,
  ) {
    this.root = mkdtempSync(join(tmpdir(), prefix));
    this.home = join(this.root, '.home');
    this.paths = projectPaths(join(this.root, '.workgraph'));
  }

  get env(): Record<string, string> {
    return { WG_HOME: this.home, WG_DIR: '', WG_AGENT_ID: '', ...this.extraEnv };
  }

  /** `wg ARGS` in the project folder, run in this process (the daemon and its agents are processes of their own). */
  wg(args: string[], options: { env?: Record<string, string> } = {}): Promise<CliResult> {
    const env = { ...(this.baseEnv ?? {}), ...this.env, ...options.env };
    return wgInProcess(args, { cwd: this.root, env, extendEnv: this.baseEnv === null });
  }

  async ok(args: string[]): Promise<string> {
    const result = await this.wg(args);
    if (result.exitCode !== 0) throw new Error(`wg ${args.join(' ')} failed (${result.exitCode}): ${result.stderr}`);
    return result.stdout;
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '--json'])) as T;
  }

  /**
   * What `wg init` makes, made in this process: set-up, not what these tests are about (`wg init` itself
   * is tested through the CLI), and a `wg` start each cost the suite its CPU.
   */
  async init(): Promise<void> {
    await initProject(this.paths);
  }

  async start(flags: string[] = []): Promise<ServiceStatus> {
    return this.json<ServiceStatus>(['service', 'start', ...flags]);
  }

  private async store(): Promise<Store> {
    this.reader ??= await Store.open(this.paths.db);
    return this.reader;
  }

  async task(id: string): Promise<Task> {
    return (await this.store()).get(id);
  }

  async tasks(): Promise<Task[]> {
    return (await this.store()).list();
  }

  async agents(): Promise<Agent[]> {
    return (await this.store()).agents.list();
  }

  async agentsOf(taskId: string): Promise<Agent[]> {
    return (await this.store()).agents.forTask(taskId);
  }

  events(agentId: string): IndexedRunEvent[] {
    return readRunEvents(runDir(this.paths.runsDir, agentId), agentId, 0, 5000).events;
  }

  /** The run id an agent's processes carry. */
  async runId(agentId: string): Promise<string | null> {
    return (await this.store()).agents.runId(agentId);
  }

  /**
   * What a failed wait should say: each task's status, each agent's state and pid, and the end of
   * the daemon log (CI keeps only the test output, so this is all there is to go on).
   */
  async diagnose(): Promise<string> {
    const tasks = (await this.tasks()).map((t) => `${t.id}=${t.status}`).join(' ');
    const agents = (await this.agents())
      .map((a) => `${a.id}(${a.task_id})=${a.state} pid ${a.pid ?? '-'} exit ${a.exit_code ?? '-'}`)
      .join('; ');
    let log = '';
    try {
      log = readFileSync(this.paths.daemonLog, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      log = '(no daemon log)';
    }
    return `tasks: ${tasks}\nagents: ${agents}\ndaemon pid ${this.daemonPid() ?? '-'}; daemon log tail:\n${log}`;
  }

  /** waitFor, with this project's state in the error when it times out. */
  async waitFor<T>(
    what: string,
    probe: () => T | null | undefined | false | Promise<T | null | undefined | false>,
    timeoutMs = 60_000,
  ): Promise<T> {
    try {
      return await waitFor(what, probe, timeoutMs);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${await this.diagnose()}`);
    }
  }

  daemonPid(): number | null {
    return readServiceState(this.paths)?.pid ?? null;
  }

  /** Tears everything down, even after a failed test: daemon, every agent's processes (escaped ones too), files. */
  async remove(): Promise<void> {
    const pid = this.daemonPid();
    if (pid !== null && exists(pid)) killGroupOr(pid);
    if (existsSync(this.paths.db)) {
      const store = await this.store();
      await killRuns(await Promise.all((await this.agents()).map((agent) => runHandle(store, this.paths, agent))), { force: true });
    }
    await this.reader?.close();
    this.reader = null;
    // A git process the daemon started (a worktree sweep, a merge) dies with its group above; one that
    // escaped it may still be writing into .git for a moment: retry the removal on ENOTEMPTY.
    rmSync(this.root, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

/**
 * SIGKILL for the daemon and its process group (it runs detached, as its group's leader): the git
 * processes it started die with it instead of writing into .git while the test folder is removed (the
 * full suite once failed claude-worktree.test.ts's teardown with ENOTEMPTY after all its tests passed).
 * Agents run in groups of their own and are killed by their runs. Just the daemon when it leads no group.
 */
function killGroupOr(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    process.kill(pid, 'SIGKILL');
  }
}
