import type { ChildProcess } from 'node:child_process';
import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { OutputTail } from './output-tail';
import { groupAlive, killGroup, processAlive } from '../../agents/process-group';
import { readExitStatus, readFileTail, type RunFiles } from '../../runs/run-files';
import { signalFromStatus } from '../deciding/failure-reason';

export interface RunExit {
  agentId: string;
  /** The command's exit code; null when it died by a signal or vanished without a status. */
  code: number | null;
  signal: string | null;
  stderrTail: string;
}

export interface RunMonitorHandlers {
  onEvents(agentId: string, events: RunEvent[], total: number): void;
  onExit(exit: RunExit): void;
  onError(message: string): void;
}

const LEFTOVER_CHECK_MS = 1000;
const EARLY_REPORT_TTL_MS = 30_000;

interface LocalRun {
  agentId: string;
  files: RunFiles;
  pid: number;
  tail: OutputTail;
  /** Our own child (exit is reported by Node); null for a run adopted after a restart (polled). */
  child: ChildProcess | null;
  done: boolean;
}

/**
 * Watches the local runs: tails their output files while they run and reports each exit once,
 * after the last output has been read. One shared timer, running only while there are runs.
 */
export class RunMonitor {
  private readonly runs = new Map<string, LocalRun>();
  /** Reports that overtook the helper's "started" line: when they came (forgotten after a while) and the status. */
  private readonly early = new Map<string, { at: number; status: number | null }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly handlers: RunMonitorHandlers,
    private readonly pollMs = 250,
  ) {}

  get size(): number {
    return this.runs.size;
  }

  has(agentId: string): boolean {
    return this.runs.has(agentId);
  }

  pid(agentId: string): number | null {
    return this.runs.get(agentId)?.pid ?? null;
  }

  /** A child we just started. */
  watchChild(agentId: string, files: RunFiles, child: ChildProcess, parser: OutputParser): void {
    const run = this.add(agentId, files, child.pid as number, new OutputTail(files, parser, true), child);
    child.once('exit', (_code, signal) => this.finish(run, signal));
  }

  /** A run the spawn helper started: it reports its end (`exited`); polled in case it dies without a word. */
  watchStarted(agentId: string, files: RunFiles, pid: number, parser: OutputParser): void {
    this.add(agentId, files, pid, new OutputTail(files, parser, true), null);
    const early = this.early.get(agentId);
    if (early) {
      this.early.delete(agentId);
      this.exited(agentId, early.status);
    }
  }

  /** The wrapper said the command ended, with its status (also in its exit file, which is read when this is null). */
  exited(agentId: string, status: number | null = null): void {
    const run = this.runs.get(agentId);
    if (run) this.finish(run, null, status);
    // The report can overtake the helper's "started" line: remember it until the run is watched.
    // (A run the poll already finished reports too; that entry simply expires.)
    else this.early.set(agentId, { at: Date.now(), status });
  }

  /** A run found alive when the coordinator started: we are not its parent, so it is polled. */
  adopt(agentId: string, files: RunFiles, pid: number, parser: OutputParser): void {
    this.add(agentId, files, pid, new OutputTail(files, parser), null);
    this.poll();
  }

  /** Stops watching (agents keep running); positions are saved, so a later coordinator resumes. */
  detachAll(): void {
    for (const run of this.runs.values()) {
      run.done = true;
      run.child?.removeAllListeners('exit');
      this.safely(() => run.tail.drain(false));
      run.tail.close();
    }
    this.runs.clear();
    this.early.clear();
    this.stopTimer();
  }

  private add(agentId: string, files: RunFiles, pid: number, tail: OutputTail, child: ChildProcess | null): LocalRun {
    const run: LocalRun = { agentId, files, pid, tail, child, done: false };
    this.runs.set(agentId, run);
    if (!this.timer) this.timer = setInterval(() => this.poll(), this.pollMs);
    return run;
  }

  private poll(): void {
    for (const [agentId, { at }] of this.early) if (Date.now() - at > EARLY_REPORT_TTL_MS) this.early.delete(agentId);
    for (const run of [...this.runs.values()]) {
      this.drain(run, false);
      // Adopted runs: the exit file, or a wrapper that is gone, ends them.
      if (!run.child && (readExitStatus(run.files) !== null || !processAlive(run.pid))) this.finish(run, null);
    }
  }

  private drain(run: LocalRun, final: boolean): void {
    const events = this.safely(() => run.tail.drain(final)) ?? [];
    if (events.length > 0) this.handlers.onEvents(run.agentId, events, run.tail.total);
  }

  private finish(run: LocalRun, wrapperSignal: NodeJS.Signals | null, reported: number | null = null): void {
    if (run.done) return;
    run.done = true;
    this.drain(run, true);
    run.tail.close();
    this.runs.delete(run.agentId);
    if (this.runs.size === 0) this.stopTimer();
    const status = reported ?? readExitStatus(run.files);
    const signal = status === null ? wrapperSignal : signalFromStatus(status);
    const code = status === null || signal !== null ? null : status;
    // The command is over; whatever it left running in its group goes with it (no leaked processes).
    // Looked at a moment later: a wrapper that just reported is still on its way out.
    setTimeout(() => {
      if (groupAlive(run.pid)) killGroup(run.pid, { graceMs: 1000 }).catch((error: unknown) => this.handlers.onError(`cleaning up ${run.agentId}: ${String(error)}`));
    }, LEFTOVER_CHECK_MS).unref();
    // Only a failure quotes stderr.
    this.handlers.onExit({ agentId: run.agentId, code, signal, stderrTail: code === 0 ? '' : readFileTail(run.files.stderr) });
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private safely<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.handlers.onError(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }
}
