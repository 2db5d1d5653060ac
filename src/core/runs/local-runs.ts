import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, isAbsolute } from 'node:path';
import type { RunEvent } from '../../shared/run-event';
import { killRuns, type RunHandle } from '../processes/kill-runs';
import { createOutputParser } from './output/index';
import type { ProjectPaths } from '../project';
import { readRunEvents, runDir } from '../run-folder/run-log';
import { runFiles } from '../run-folder/run-files';
import type { Store } from '../store/store';
import { inBackground } from '../engine-log';
import type { LaunchRecords } from './run-views';
import type { Claimed } from './claiming/claim';
import { claimInternal, type InternalClaim, type InternalRequest } from './claiming/internal-run';
import { startProcess, startRun, type StartContext, type Started } from './starting/start-run';
import { agentEnvOverlay } from './starting/agent-env';
import { Leftovers } from './watching/leftovers';
import { adoptedHandle, runHandle, runPid } from '../run-folder/run-handle';
import { runCgroupDir } from '../processes/run-cgroup';
import { CgroupsAhead } from './starting/cgroups-ahead';
import { RunMonitor, type RunExit } from './watching/run-monitor';
import { RUN_MARKER } from '../processes/run-marker';
import { heldKilledRuns, releaseKillHolds } from './killing/kill-holds';
import { errorText } from '../../shared/errors';
import type { StartGate } from '../leases/start-gate';

export interface LocalRunsOptions {
  store: Store;
  paths: ProjectPaths;
  records: LaunchRecords;
  log: { info(message: string): void; error(message: string): void };
  /** What every start needs: the base environment, where agents reach `wg` and the API. */
  startContext(): StartContext;
  /** Where an internal run that may not start now (StartContext.startWindowMs) waits for the lease's renewal. */
  starts?: StartGate;
  onEvents(agentId: string, events: RunEvent[], total: number): void;
  onExit(exit: RunExit): void;
  /**
   * What finished runs left running was stopped. Their worktrees were swept when the runs ended, while those
   * processes still ran there: what they committed meanwhile is settled, and the worktrees freed, only by a sweep now.
   */
  onLeftoversStopped?(): void;
  monitorPollMs?: number;
}

/** What an internal run's requester gets back: its output events (the last ones) and exit code. */
export interface InternalResult {
  code: number | null;
  events: RunEvent[];
  /** The run (agent-N) that was recorded for it. */
  agentId?: string;
}

/** The last events an internal run's requester reads (triage answers at the end). */
const INTERNAL_EVENTS = 200;

/**
 * Where an adopted run's folder is: its own coordinator's (this folder's), or, on a team's graph, the
 * folder of the coordinator this one took over from, if this machine sees it and it is this user's
 * (another user's folder is never read). A folder not seen here leaves the run vanished: retried.
 */
function adoptedRunDir(own: string, recorded: string | null | undefined): string {
  if (!recorded || recorded === own || existsSync(own)) return own;
  // Only a run folder of this run: `…/runs/<its agent id>`, as a coordinator makes them (never any folder the store names).
  if (!isAbsolute(recorded) || basename(recorded) !== basename(own) || basename(dirname(recorded)) !== 'runs') return own;
  try {
    const info = lstatSync(recorded);
    if (info.isDirectory() && info.uid === process.getuid?.()) return recorded;
  } catch {
    // Not on this machine.
  }
  return own;
}

/**
 * The local runs of one coordinator: starting them (task runs and internal ones), adopting those
 * found at start, watching them until they end, and killing them, always through the same kill
 * path (killRuns) and at most once at a time.
 */
export class LocalRuns {
  private readonly monitor: RunMonitor;
  private readonly leftovers: Leftovers;
  private readonly killing = new Set<string>();
  private readonly cgroupsAhead = new CgroupsAhead();
  /** Stops under way (strays, a timeout, another's kill): close waits for them, or an exiting coordinator leaves them half done. */
  private readonly stopping = new Set<Promise<boolean>>();
  private readonly waiting = new Map<string, (result: InternalResult) => void>();

  constructor(private readonly o: LocalRunsOptions) {
    this.leftovers = new Leftovers(
      (message) => o.log.error(message),
      (runs) => inBackground(this.noteLeftoversStopped(runs), (m) => o.log.error(m), 'noting leftovers stopped'),
      (runs) => inBackground(this.releaseHolds(runs), (m) => o.log.error(m), 'releasing the tasks of killed runs'),
    );
    this.monitor = new RunMonitor(
      {
        onEvents: (agentId, events, total) => o.onEvents(agentId, events, total),
        onExit: (exit) => {
          this.answer(exit);
          o.onExit(exit);
        },
        onFinished: (handle) => this.leftovers.add(handle),
        onError: (message) => o.log.error(message),
      },
      o.monitorPollMs,
    );
  }

  /** Each task whose finished run left processes running, which were stopped: its log says so. */
  private async noteLeftoversStopped(runs: readonly RunHandle[]): Promise<void> {
    for (const { runId } of runs) {
      if (!runId) continue;
      try {
        const run = await this.o.store.core.get(
          this.o.store.core.build.selectFrom('agents').select(['id', 'task_id']).where('run_id', '=', runId),
        );
        // The coordinator agent's runs are on `.chat-0`, no task of the graph: nothing to note it on.
        if (run && run.task_id !== '.chat-0')
          await this.o.store.tasks.log(
            run.task_id,
            `Stopped what ${run.id} left running after its run ended (processes it started in the background): nothing a run starts outlives it`,
            'coordinator',
          );
      } catch (error) {
        this.o.log.error(`noting what a finished run left running: ${errorText(error)}`);
      }
    }
    this.o.onLeftoversStopped?.();
  }

  /** The local runs being watched. */
  watched(): string[] {
    return this.monitor.ids();
  }

  /**
   * A task run claimed in a write not yet committed: it starts once the commit is back, its cgroup readied meanwhile
   * (CgroupsAhead) where the commit is a round trip away. On SQLite the start follows the claim in the same go of this
   * thread: there is no wait to fill.
   */
  willStart(claimed: Claimed): void {
    if (claimed.spec.kind === 'process' && this.o.store.core.kind === 'postgres') this.cgroupsAhead.claimed(claimed.runId);
  }

  /** Starts a claimed task run (after its claim committed) and watches it. */
  async start(claimed: Claimed): Promise<Started> {
    this.cgroupsAhead.starting(claimed.runId);
    const started = await startRun(claimed, this.o.startContext());
    if (started.kind === 'process') this.watch(claimed.agent.id, claimed.runId, claimed.record.output, started);
    return started;
  }

  /**
   * Runs an internal run (triage, the assigner, the evaluator) to its end: recorded first, started
   * through the same launcher as any run (its own process group, cgroup and marker, output in its run folder, a
   * timeout, killable), and answered with its events. A run that cannot start answers code null.
   */
  async runInternal(request: InternalRequest): Promise<InternalResult> {
    const claim = await claimInternal(this.o.store, this.o.paths, request);
    const answer = new Promise<InternalResult>((resolve) =>
      this.waiting.set(claim.agent.id, (result) => resolve({ ...result, agentId: claim.agent.id })),
    );
    let started: Started;
    try {
      started = await this.startInternal(request, claim);
    } catch (error) {
      started = { kind: 'failed', reason: errorText(error) };
    }
    if (started.kind === 'process') this.watch(claim.agent.id, claim.runId, claim.record.output, started);
    else {
      const why =
        started.kind === 'failed'
          ? started.reason
          : 'this coordinator stopped before its lease was renewed (another may have taken the run over)';
      this.o.log.error(`${request.purpose} run ${claim.agent.id} did not start: ${why}`);
      this.o.onExit({ agentId: claim.agent.id, code: null, signal: null, stderrTail: '' });
      this.answer({ agentId: claim.agent.id, code: null, signal: null, stderrTail: '' });
    }
    return answer;
  }

  /**
   * An internal run's process, as a task run's: only while the coordinator's lease cannot have lapsed since its
   * claim committed, else once it is renewed; never once the coordinator is fenced or stops (then: held).
   */
  private async startInternal(request: InternalRequest, claim: InternalClaim): Promise<Started> {
    for (;;) {
      const context = this.o.startContext();
      const { baseEnv, startWindowMs } = context;
      const env = request.acts
        ? agentEnvOverlay({
            basePath: baseEnv.PATH ?? '',
            extra: request.spec.env,
            taskId: request.taskId,
            agentId: claim.agent.id,
            runId: claim.runId,
            wgDir: context.paths.dir,
            model: request.model,
            executor: request.executor,
            apiUrl: context.apiUrl,
            apiToken: context.apiToken,
            wgBinDir: context.wgBinDir,
          })
        : { ...request.spec.env, [RUN_MARKER]: claim.runId };
      const started = await startProcess({
        spec: request.spec,
        files: claim.files,
        runId: claim.runId,
        baseEnv,
        env,
        noteBaseline: false,
        ...(startWindowMs ? { startWindowMs } : {}),
      });
      const gate = this.o.starts;
      if (started.kind !== 'held' || !gate) return started;
      this.o.log.info(`${request.purpose} run ${claim.agent.id} waits to start until this coordinator's lease is renewed`);
      const renewed = await new Promise<boolean>((resolve) =>
        gate.hold(
          () => resolve(true),
          () => resolve(false),
        ),
      );
      if (!renewed) return started;
    }
  }

  /** A run found working at start: watched again (its pid only if that process is still the run's). */
  async adopt(agentId: string): Promise<boolean> {
    const agent = await this.o.store.agents.find(agentId);
    const record = await this.o.records.get(agentId);
    if (!agent || agent.runs_elsewhere || (record !== null && record.kind !== 'process') || this.monitor.has(agentId)) return false;
    const found = await adoptedHandle(this.o.store, this.o.paths, agent);
    // No pid anywhere (a pid that is no longer the run's is another matter: its wrapper is gone): the
    // wrapper may be alive and not have written it yet, so the monitor looks for it by its marker and
    // its cgroup, which is where a start makes it whether or not the folder notes it yet.
    const starting = runPid(this.o.paths, agent) === null;
    const handle = starting && found.cgroup === null && found.runId !== null ? { ...found, cgroup: runCgroupDir(found.runId) } : found;
    const dir = adoptedRunDir(runDir(this.o.paths.runsDir, agentId), record?.run_dir);
    // Adopted inside a transaction (the start's, a takeover's turn): what the monitor finds (an exit, read at once) is
    // judged by turns of their own, not by savepoints of a transaction that may have committed by then.
    this.o.store.core.detached(() =>
      this.monitor.adopt(agentId, runFiles(dir), handle, createOutputParser(record?.output ?? 'plain'), starting),
    );
    const how =
      handle.pid !== null ? ` (pid ${handle.pid})` : starting ? ' (no pid yet: looking for its wrapper)' : ' (its process is gone)';
    this.o.log.info(`adopted ${agentId}${how} on ${agent.task_id}`);
    return true;
  }

  /** Stops everything of one run (a timeout, its agent ended by someone else); once at a time. */
  async kill(agentId: string, options: { graceMs?: number } = {}): Promise<void> {
    if (this.killing.has(agentId)) return;
    const agent = await this.o.store.agents.find(agentId);
    if (!agent || agent.runs_elsewhere) return;
    const handle = this.monitor.handle(agentId) ?? (await runHandle(this.o.store, this.o.paths, agent));
    this.killing.add(agentId);
    this.stop([handle], options)
      .catch((error: unknown) => this.o.log.error(`stopping ${agentId}: ${errorText(error)}`))
      .finally(() => this.killing.delete(agentId));
  }

  /**
   * Runs found over in the store but still running at start, stopped; and the tasks a kill that did not finish left
   * held for its runs (kill-holds.ts) released once nothing of those runs is left: now for the runs already gone.
   */
  async killStrays(handles: RunHandle[]): Promise<void> {
    const strays = new Set(handles.map((handle) => handle.runId));
    await this.releaseHolds(
      (await heldKilledRuns(this.o.store)).map((runId) => ({ pid: null, runId, cgroup: null })).filter((h) => !strays.has(h.runId)),
    );
    if (handles.length === 0) return;
    this.o.log.info(`stopping ${handles.length} run(s) whose agents had ended while no coordinator watched`);
    void this.stop(handles, {}).then(async (stopped) => {
      if (stopped) await this.releaseHolds(handles);
    });
  }

  /** Tasks a kill held for these runs, of which nothing is left now, back in the queue (kill-holds.ts). */
  private async releaseHolds(runs: readonly RunHandle[]): Promise<void> {
    try {
      const released = await releaseKillHolds(
        this.o.store,
        runs.flatMap((run) => (run.runId ? [run.runId] : [])),
        'coordinator',
      );
      if (released.length > 0) this.o.log.info(`back in the queue once their killed runs were gone: ${released.join(', ')}`);
    } catch (error) {
      this.o.log.error(`releasing tasks held for killed runs: ${errorText(error)}`);
    }
  }

  /**
   * Kills every run watched here but those `keep` names and stops watching, writing nothing (another coordinator judges
   * them now); how many it kills.
   */
  killWatched(keep: (agentId: string) => boolean = () => false): number {
    // Runs another coordinator took over are theirs now: left running, unwatched.
    const handles = this.monitor
      .ids()
      .filter((id) => !keep(id))
      .map((id) => this.monitor.handle(id))
      .filter((handle): handle is RunHandle => handle !== null);
    this.detach();
    if (handles.length > 0) void this.stop(handles, {});
    return handles.length;
  }

  /** Stops watching one run, which keeps going: another coordinator took it over. */
  release(agentId: string): void {
    this.monitor.detach(agentId);
  }

  /**
   * The coordinator stops: watching ends as with detach (the runs keep going, a later coordinator
   * adopts them), and what finished runs left running is stopped now, not at the leftovers' timer,
   * which the exiting process would never see fire. Those are no agents kept running: their runs
   * are over, and nothing a run started outlives its run. Detached first, so no run finishes (and
   * adds leftovers) once the look has been made. Kills already under way (strays found at start, a
   * timeout) are waited for too: a stop in their SIGTERM grace left those runs running.
   */
  async close(): Promise<void> {
    this.detach();
    await Promise.all([this.leftovers.flush(), ...this.stopping]);
  }

  /** Stops watching; the runs keep going (a later coordinator adopts them). */
  detach(): void {
    this.monitor.detachAll();
    for (const [agentId, resolve] of this.waiting) resolve({ code: null, events: this.lastEvents(agentId) });
    this.waiting.clear();
  }

  /** Resolves whether nothing of the runs is left. */
  private stop(handles: RunHandle[], options: { graceMs?: number }): Promise<boolean> {
    const stopping = killRuns(handles, options).catch((error: unknown) => {
      this.o.log.error(`killing runs: ${String(error)}`);
      return false;
    });
    this.stopping.add(stopping);
    void stopping.finally(() => this.stopping.delete(stopping));
    return stopping;
  }

  private watch(
    agentId: string,
    runId: string,
    output: Parameters<typeof createOutputParser>[0],
    started: Extract<Started, { kind: 'process' }>,
  ): void {
    const handle: RunHandle = { pid: started.pid, runId, cgroup: started.cgroup };
    this.monitor.watch(agentId, runFiles(runDir(this.o.paths.runsDir, agentId)), handle, started.ended, createOutputParser(output));
  }

  private answer(exit: RunExit): void {
    const resolve = this.waiting.get(exit.agentId);
    if (!resolve) return;
    this.waiting.delete(exit.agentId);
    resolve({ code: exit.code, events: this.lastEvents(exit.agentId) });
  }

  private lastEvents(agentId: string): RunEvent[] {
    const dir = runDir(this.o.paths.runsDir, agentId);
    const total = readRunEvents(dir, agentId, 0, 1).total;
    return readRunEvents(dir, agentId, Math.max(0, total - INTERNAL_EVENTS), INTERNAL_EVENTS).events.map((e) => e.event);
  }
}
