import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { OutputTail } from './output-tail';
import { processAlive } from '../../processes/process-group';
import type { RunHandle } from '../../processes/kill-runs';
import { joinedRunCgroup, readExitStatus, readFileTail, readRecordedPid, type RunFiles } from '../../run-folder/run-files';
import { cgroupPopulated } from '../../processes/run-cgroup';
import { processesOfRuns } from '../../processes/run-marker';
import { signalFromStatus } from '../../run-failures/failure-reason';
import type { WrapperEnd } from '../starting/launcher';
import { runHop } from '../../timing/run-hops';
import { errorText } from '../../../shared/errors';

export interface RunExit {
  agentId: string;
  /** The command's exit code; null when it died by a signal or vanished without a status. */
  code: number | null;
  signal: string | null;
  stderrTail: string;
  /**
   * An adopted run whose wrapper never wrote its pid file, which it writes just before the command: the coordinator
   * that started it stopped in the moment between its spawn and that file, and the command never ran.
   */
  neverBegan?: boolean;
}

export interface RunMonitorHandlers {
  onEvents(agentId: string, events: RunEvent[], total: number): void;
  onExit(exit: RunExit): void;
  /** The run is over: whatever it left running is to be stopped. */
  onFinished(handle: RunHandle): void;
  onError(message: string): void;
}

interface LocalRun {
  agentId: string;
  files: RunFiles;
  handle: RunHandle;
  /** Adopted with no pid known: its wrapper may still be starting (see adoptedOver). */
  starting: boolean;
  tail: OutputTail;
  /** Started by this process: its end is reported by its child process; an adopted run is polled. */
  own: boolean;
  /** Set once the run is over (the status its wrapper ended with, if seen): the rest of its output is read, then the exit reported. */
  over: WrapperEnd | null;
  /** Judged over while adopted without a pid file: its command never ran (RunExit.neverBegan). */
  neverBegan?: boolean;
  /** A chain of tail steps is under way. */
  reading: boolean;
  done: boolean;
}

/**
 * Watches the local runs: tails their output files while they run, a step at a time with the
 * event loop free in between, and reports each exit once, after the last output has been read.
 * One shared timer, keeping the process alive only while there are runs.
 */
export class RunMonitor {
  private readonly runs = new Map<string, LocalRun>();
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

  /** Ids of the runs being watched. */
  ids(): string[] {
    return [...this.runs.keys()];
  }

  handle(agentId: string): RunHandle | null {
    return this.runs.get(agentId)?.handle ?? null;
  }

  /** A run this coordinator just started; `ended` settles when its wrapper ends. */
  watch(agentId: string, files: RunFiles, handle: RunHandle, ended: Promise<WrapperEnd>, parser: OutputParser): void {
    const run = this.add(agentId, files, handle, new OutputTail(files, parser, true), true);
    void ended.then((end) => this.over(run, end));
  }

  /**
   * A run found when the coordinator started: we are not its parent, so it is polled. `starting`:
   * no pid of it was known anywhere (neither the store nor its pid file), so its wrapper may not
   * have written it yet; it is looked for by its marker and cgroup instead of judged gone at once.
   */
  adopt(agentId: string, files: RunFiles, handle: RunHandle, parser: OutputParser, starting = false): void {
    const run = this.add(agentId, files, handle, new OutputTail(files, parser), false);
    run.starting = starting && handle.pid === null;
    this.check(run);
  }

  /** Stops watching one run (it keeps running: another coordinator took it over). */
  detach(agentId: string): void {
    const run = this.runs.get(agentId);
    if (!run) return;
    run.done = true;
    run.tail.close();
    this.runs.delete(agentId);
  }

  /** Stops watching (agents keep running); positions are saved, so a later coordinator resumes. */
  detachAll(): void {
    for (const run of this.runs.values()) {
      run.done = true;
      run.tail.close();
    }
    this.runs.clear();
    this.stopTimer();
  }

  private add(agentId: string, files: RunFiles, handle: RunHandle, tail: OutputTail, own: boolean): LocalRun {
    const run: LocalRun = { agentId, files, handle, starting: false, tail, own, over: null, reading: false, done: false };
    this.runs.set(agentId, run);
    if (this.timer) this.timer.ref();
    else this.timer = setInterval(() => this.poll(), this.pollMs);
    return run;
  }

  private poll(): void {
    // Left running when the last run ended (runs come and go in bursts): stopped once a look finds none.
    if (this.runs.size === 0) this.stopTimer();
    for (const run of this.runs.values()) this.check(run);
  }

  private check(run: LocalRun): void {
    if (!run.own && !run.over && this.adoptedOver(run)) {
      if (run.starting && readRecordedPid(run.files) === null && readExitStatus(run.files) === null) run.neverBegan = true;
      this.over(run, { status: null, signal: null });
      return;
    }
    this.read(run);
  }

  /** Adopted runs: the exit file, or a wrapper that is gone, ends them. */
  private adoptedOver(run: LocalRun): boolean {
    if (readExitStatus(run.files) !== null) return true;
    if (run.starting) {
      // No pid was known at adoption: the wrapper may still be starting (it writes its pid file
      // before it runs the command). Once the file is there, that is the run's wrapper.
      const pid = readRecordedPid(run.files);
      if (pid === null) return !this.startingAlive(run);
      run.starting = false;
      run.handle = { ...run.handle, pid };
    }
    return run.handle.pid === null || !processAlive(run.handle.pid);
  }

  /**
   * Whether anything of a run adopted without a pid still runs: its cgroup populated, or a process
   * carrying its marker (its wrapper, stopped or slow before writing its pid file, carries it from
   * its start). Judged vanished while it runs, its task would be retried and run twice; it is
   * watched instead, as long as anything of it is found. A scan of the system's processes per poll,
   * but only for such runs, which are rare (a crash in the moment between a spawn and its pid file).
   */
  private startingAlive(run: LocalRun): boolean {
    const { runId } = run.handle;
    // A run from before markers and cgroups: nothing to look for, judged on its pid as before.
    if (runId === null) return false;
    if (run.handle.cgroup !== null && cgroupPopulated(run.handle.cgroup)) return true;
    return processesOfRuns(new Set([runId])).has(runId);
  }

  private over(run: LocalRun, end: WrapperEnd): void {
    if (run.done || run.over) return;
    run.over = end;
    this.read(run);
  }

  /** Tail steps, one per turn of the event loop, until caught up; then, for a run that is over, its exit. */
  private read(run: LocalRun): void {
    if (run.reading || run.done) return;
    run.reading = true;
    const next = () => {
      if (run.done) return;
      const final = run.over !== null;
      const step = this.safely(() => run.tail.step(final)) ?? { events: [], more: false };
      if (step.events.length > 0) this.handlers.onEvents(run.agentId, step.events, run.tail.total);
      if (step.more) {
        setImmediate(next);
        return;
      }
      run.reading = false;
      if (final) this.finish(run);
    };
    next();
  }

  private finish(run: LocalRun): void {
    if (run.done) return;
    run.done = true;
    run.tail.close();
    this.runs.delete(run.agentId);
    // With no run left, the timer no longer keeps the process alive; the next run takes it on
    // (a clear and a new interval each time the last run ended, a steady cost for nothing).
    if (this.runs.size === 0) this.timer?.unref();
    // The wrapper's file has the command's own status (this process sees the wrapper's).
    const status = readExitStatus(run.files) ?? run.over?.status ?? null;
    const signal = status === null ? (run.over?.signal ?? null) : signalFromStatus(status);
    const code = status === null || signal !== null ? null : status;
    // The command is over; whatever it left running goes with it (no leaked processes). Its cgroup
    // holds all of it only if the wrapper joined it: the run folder says so, or, when that note is
    // gone (a run that removed its own folder), the cgroup itself, being populated (only the run's
    // processes are ever put there, and a child that cleared its environment is found nowhere else).
    // A run given none (no cgroups here) has neither.
    const cgroup = run.handle.cgroup;
    this.handlers.onFinished({
      ...run.handle,
      cgroup: cgroup !== null && (joinedRunCgroup(run.files) || cgroupPopulated(cgroup)) ? cgroup : null,
    });
    runHop('d-exit', run.agentId);
    // Only a failure quotes stderr.
    this.handlers.onExit({
      agentId: run.agentId,
      code,
      signal,
      stderrTail: code === 0 ? '' : readFileTail(run.files.stderr),
      ...(run.neverBegan && code === null ? { neverBegan: true } : {}),
    });
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private safely<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      this.handlers.onError(errorText(error));
      return undefined;
    }
  }
}
