import { delimiter, dirname } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { RelayEnv } from './job-relay';
import type { AssignedMessage, FailMessage, JobWork, ResultMessage } from '../shared/agent-protocol';
import type { RunEvent } from '../shared/run-event';
import { killRuns, type RunHandle } from '../core/processes/kill-runs';
import { stderrTail } from '../core/run-failures/failure-reason';
import { runRateLimit } from '../core/runs/rules/rate-limit';
import { agentAccount } from '../core/runs/rules/run-account';
import { autoDetectParser, createOutputParser } from '../core/runs/output/index';
import { argsFor, type AgentdConfig } from './config';
import { changesBetween, snapshotTree, type TreeChanges, type TreeSnapshot } from './git-changes';
import { ToolWrites } from '../core/runs/rules/work-evidence-rule';
import { lifelineLaunch } from './lifeline';
import { jobUserEnv } from './run-as';
import { fillTemplate } from './words';
import { timerAt } from '../core/timing/timer-at';
import { namesStoreAccess } from '../core/runs/starting/store-access-env';
import { claudeEnvFilePath } from '../core/runs/starting/claude-env-file';

/** A job's end as the daemon reports it (the lease is added by whoever sends it). */
export type JobEnd = Omit<ResultMessage, 'lease_id'> | Omit<FailMessage, 'lease_id'>;

/** Why the daemon stopped a job: its time ran out, the coordinator no longer wants it, or the daemon itself stops. */
type StopWhy = 'timeout' | 'cancel' | 'daemon-stop';

/** How much of the CLI's output is kept as the result when it prints no result of its own. */
const OUTPUT_TAIL = 64 * 1024;
/** Progress leaves in batches: at most this often, or sooner when this many events wait. */
const PROGRESS_EVERY_MS = 200;
const PROGRESS_BATCH = 200;
/** Between SIGTERM and SIGKILL of a job's process group. */
const KILL_GRACE_MS = 3000;
/** Environment the CLI must not see: the daemon's own credentials and where they are, and a person's its shell may hold. */
const PRIVATE_ENV = [
  'WG_AGENT_TOKEN',
  'WG_AGENT_TOKEN_FILE',
  'WG_COORDINATOR_URL',
  'WG_COORDINATOR_CA',
  'RUN_AS',
  'WG_SERVER',
  'WG_TOKEN',
  'WG_CA_CERT',
];

/**
 * One job: the CLI run in the repository folder (a worktree of it once the app makes worktrees:
 * the `cwd` chosen by the caller is the one place that changes), in its own process group so a
 * timeout or a cancel kills everything it started. Its output is parsed into the app's normalized
 * events and streamed as progress; its end is a result (exit 0) or a failure saying why.
 */
export class JobRun {
  private child: ResultPromise | null = null;
  /** Everything of the job, for a kill: its process group, its marker, its cgroup. */
  private handle: RunHandle | null = null;
  private stopped: StopWhy | null = null;
  /** Why its daemon stopped, when it did. */
  private daemonStop = '';
  private pending: RunEvent[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private outputTail = '';
  private stderrText = '';
  private lastResult: Extract<RunEvent, { type: 'result' }> | null = null;
  /** Its output is an AI agent CLI's structured stream. */
  private agentStream = false;
  /** Its own tool calls that wrote files in its folder. */
  private readonly writes: ToolWrites;
  /** Its diff was read whole; false when it was longer than git-changes.ts reads (its result says so). */
  diffWhole = true;

  constructor(
    private readonly config: AgentdConfig,
    private readonly job: AssignedMessage,
    private readonly cwd: string,
    /** How its `wg` reaches the coordinator (job-relay.ts): the relay, its own token, WG_BIN. */
    private readonly relayEnv: RelayEnv,
    private readonly onProgress: (events: RunEvent[]) => void,
  ) {
    this.writes = new ToolWrites(cwd);
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async run(): Promise<JobEnd> {
    const started = Date.now();
    const before = await snapshotTree(this.cwd, this.config.runAs).catch(() => null);
    const end = await this.execute(started);
    this.flush();
    if (end.type !== 'ticket.result') return end;
    const changes = before ? await this.changes(before) : null;
    this.diffWhole = changes?.diffWhole ?? true;
    const work: JobWork = {
      agent: this.agentStream,
      commits: changes?.commits ?? [],
      commit_count: changes?.commitCount ?? 0,
      // Not a git folder (or git failed): what changed cannot be known, and in doubt the exit stands, as a local run's.
      changed: changes?.changed ?? true,
      wrote_files: this.writes.any(),
      // The daemon adds what only it knows: the other jobs in this folder, the job's own `wg` commands.
      shared_with: [],
      wg_calls: {},
    };
    return { ...end, diff: changes?.diff ?? null, branch: changes?.branch ?? null, work };
  }

  /** Stops the job (its whole process group); it then ends as a failure saying why. */
  cancel(): void {
    this.stop('cancel');
  }

  /** Stops the job because its daemon stops (`why`, for its end): it ends as `stopped`, which costs its task no retry. */
  stopWithDaemon(why: string): void {
    this.daemonStop = why;
    this.stop('daemon-stop');
  }

  private async execute(started: number): Promise<JobEnd> {
    const values = { prompt: this.job.prompt, cwd: this.cwd, model: this.job.model ?? '', task_id: this.job.task.id };
    const args = fillTemplate(argsFor(this.config, this.job.model), values);
    const env: Record<string, string> = {};
    // Nor PG* variables nor WG_STORE_URL (store-access-env.ts): a daemon started where they are set (a coordinator's
    // machine, a person's shell) must not hand its jobs a way into a database past their coordinator.
    for (const [key, value] of Object.entries(process.env))
      if (value !== undefined && !PRIVATE_ENV.includes(key) && !namesStoreAccess(key)) env[key] = value;
    Object.assign(env, { WG_TASK_ID: this.job.task.id, WG_AGENT_ID: this.job.job_id, WG_REPO: this.job.repo }, this.relayEnv);
    // `wg` by name works too; the prompt names it by its full path (a login shell may reset PATH), and Claude Code
    // puts its folder first again in every shell it opens, login shells included (claude-env-file.ts).
    env.PATH = [dirname(this.relayEnv.WG_BIN), env.PATH].filter(Boolean).join(delimiter);
    env.CLAUDE_ENV_FILE = claudeEnvFilePath(dirname(this.relayEnv.WG_BIN));
    const user = this.config.runAs;
    if (user) jobUserEnv(env, user);
    const parser = this.config.output === 'auto' ? autoDetectParser() : createOutputParser(this.config.output);
    const timeoutS = Math.min(this.config.ticketTimeoutS, this.job.timeout_s ?? Infinity);
    const timer = timerAt(Date.now() + timeoutS * 1000, () => this.stop('timeout'));
    const launch = await lifelineLaunch(this.config.command, args);
    try {
      // fd 3 is the lifeline: its far end is held by this process alone, so it closes when the daemon dies.
      const stdin = this.config.promptOnStdin ? 'pipe' : 'ignore';
      this.child = execa(launch.command, launch.args, {
        cwd: this.cwd,
        env,
        extendEnv: false,
        detached: true,
        buffer: false,
        reject: false,
        input: this.config.promptOnStdin ? this.job.prompt : undefined,
        stdio: launch.pipeFd ? [stdin, 'pipe', 'pipe', 'pipe'] : [stdin, 'pipe', 'pipe'],
        // RUN_AS: the job and all it starts are that user's (supplementary groups dropped), never the daemon's.
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      });
      const handle: RunHandle = { pid: this.child.pid ?? null, ...launch.handle };
      this.handle = handle;
      if (this.stopped) this.kill();
      // Once the CLI has exited, what it left running (a setsid child, a daemonized server) ends
      // too: nothing of a job outlives it, and a leftover holding its stdout would hold the job open.
      // This also removes the job's cgroup.
      const leftovers = new Promise<boolean>((resolve) =>
        this.child?.once('exit', () => resolve(killRuns([handle], { graceMs: KILL_GRACE_MS }))),
      );
      // Decoded by the stream, so a character split between two chunks is never mangled.
      this.child.stdout?.setEncoding('utf8');
      this.child.stderr?.setEncoding('utf8');
      this.child.stdout?.on('data', (chunk: string) => {
        this.keepOutput(chunk);
        this.emit(parser.push(chunk));
      });
      this.child.stderr?.on('data', (chunk: string) => {
        this.stderrText = (this.stderrText + chunk).slice(-OUTPUT_TAIL);
        this.emit(
          chunk
            .split('\n')
            .filter((line) => line.trim() !== '')
            .map((text) => ({ type: 'stderr', text: text.replace(/\r$/, '') })),
        );
      });
      const result = await this.child;
      await leftovers;
      this.emit(parser.end());
      return this.judge(
        result.exitCode ?? null,
        result.failed && result.exitCode === undefined ? (result.shortMessage ?? 'the CLI did not start') : null,
        started,
      );
    } finally {
      timer.cancel();
    }
  }

  private judge(exitCode: number | null, startError: string | null, started: number): JobEnd {
    const usage = {
      cost_usd: this.lastResult?.cost_usd ?? null,
      tokens_in: this.lastResult?.tokens_in ?? null,
      tokens_out: this.lastResult?.tokens_out ?? null,
      duration_ms: Date.now() - started,
    };
    const fail = (kind: FailMessage['kind'], reason: string, retryAfter: string | null = null): JobEnd => ({
      type: 'ticket.fail',
      kind,
      reason,
      exit_code: exitCode,
      retry_after: retryAfter,
      ...usage,
    });
    if (this.stopped === 'timeout')
      return fail('timeout', `timed out after ${Math.min(this.config.ticketTimeoutS, this.job.timeout_s ?? Infinity)} s`);
    if (this.stopped === 'cancel') return fail('error', 'cancelled');
    if (this.stopped === 'daemon-stop') return fail('stopped', this.daemonStop);
    if (startError) return fail('error', `${this.config.command}: ${startError}`);
    if (exitCode === 0 && !this.lastResult?.is_error) {
      return {
        type: 'ticket.result',
        exit_code: 0,
        output: this.lastResult?.text ?? this.outputTail.trim(),
        artifacts: [],
        diff: null,
        branch: null,
        ...usage,
        work: { agent: false, commits: [], commit_count: 0, changed: false, wrote_files: false, shared_with: [], wg_calls: {} },
      };
    }
    // The CLI's own account first (its result event), then the end of what it printed on stderr.
    const account = this.lastResult ? agentAccount([this.lastResult]) : null;
    const message = account || stderrTail(this.stderrText) || `${this.config.command} exited with code ${exitCode}`;
    // The same rule as a local run's (rate-limit.ts): only a structured stream's own error is a limit.
    // Only Claude's and codex's parsers (named, or found by CLI_OUTPUT=auto) give result events.
    const limit = runRateLimit({ code: exitCode, structured: this.lastResult !== null, account }, new Date());
    if (limit) return fail('quota', message, new Date(limit.reset_at_ms).toISOString());
    return fail('exit', message);
  }

  private async changes(before: TreeSnapshot): Promise<TreeChanges | null> {
    const after = await snapshotTree(this.cwd, this.config.runAs).catch(() => null);
    return after ? changesBetween(this.cwd, before, after, this.config.runAs) : null;
  }

  private stop(why: StopWhy): void {
    if (this.stopped) return;
    this.stopped = why;
    this.kill();
  }

  /** The whole job, setsid children included (a cancel before the spawn is carried out right after it). */
  private kill(): void {
    if (this.handle) void killRuns([this.handle], { graceMs: KILL_GRACE_MS });
  }

  private keepOutput(chunk: string): void {
    this.outputTail = (this.outputTail + chunk).slice(-OUTPUT_TAIL);
  }

  private emit(events: RunEvent[]): void {
    if (events.length === 0) return;
    this.writes.add(events);
    for (const event of events) {
      if (event.type === 'result') this.lastResult = event;
      // Only Claude's and codex's parsers give these: the job is an AI agent, judged as one.
      if (event.type === 'session' || event.type === 'result' || event.type === 'tool_use') this.agentStream = true;
    }
    for (const event of events) this.pending.push(event);
    if (this.pending.length >= PROGRESS_BATCH) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), PROGRESS_EVERY_MS);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.onProgress(batch);
  }
}
