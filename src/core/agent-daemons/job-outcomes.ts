import type { FailMessage, JobWork, ResultMessage } from '../../shared/agent-protocol';
import type { JsonValue } from '../../shared/task';
import type { AgentView, RunEnd, SchedulerEvent } from '../deciding/scheduler-types';
import { judgeWork } from '../runs/rules/work-evidence-rule';
import { reportedAnything } from '../runs/watching/work-evidence';
import type { Store } from '../store/store';
import { findTaskRow, findTaskState } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';
import type { JobStore } from './job-store';
import type { JobOutput } from './job-output';
import type { DaemonJob } from '../../shared/agent-daemon-types';

/** What the remote side needs of the engine: its rules for how a run ended, and the same settle path. */
export interface JobEngine {
  remoteEnded(agentId: string, event: (agent: AgentView) => SchedulerEvent): void | Promise<void>;
}

const MAX_RESULT_TEXT = 64 * 1024;

/**
 * How a remote job ends, each as ONE transaction: the lease is ended (so it is no longer current) and what the job
 * produced is recorded on the task; then the engine settles the run by its rules, in a turn of its own (judgeRun).
 * A lease that is no longer current changes nothing but a note in the task's log.
 */
export class JobOutcomes {
  constructor(
    private readonly store: Store,
    private readonly jobs: JobStore,
    private readonly output: JobOutput,
    private readonly engine: JobEngine,
  ) {}

  /** The CLI exited 0: the task is done with its output as the result. */
  async completed(job: DaemonJob, message: ResultMessage): Promise<void> {
    const diffPath = message.diff ? this.output.keep(job.agent_id, 'changes.diff', message.diff) : null;
    await this.store.core.batch(async () => {
      if (!(await this.jobs.end(job.lease_id, 'done', `done in ${seconds(message.duration_ms)}`))) return;
      await this.output.usage(job.agent_id, job.task_id, message);
      await this.store.core.write(async (rev) => {
        const row = await findTaskRow(this.store.core, job.task_id);
        if (row?.status !== 'in-progress' || row.assigned !== job.agent_id) return;
        const results = JSON.parse(row.results) as Record<string, JsonValue>;
        results.output = message.output.length > MAX_RESULT_TEXT ? `…${message.output.slice(-MAX_RESULT_TEXT)}` : message.output;
        results.agent_daemon = job.daemon_host;
        if (message.branch) results.branch = message.branch;
        if (message.work.commit_count > 0) results.commits = message.work.commits;
        const artifacts = JSON.parse(row.artifacts) as string[];
        for (const item of [...message.artifacts, ...(diffPath ? [diffPath] : [])]) if (!artifacts.includes(item)) artifacts.push(item);
        await transition(this.store.core, row, { results, artifacts }, rev);
      });
      const evidence = await this.evidence(job, message.work);
      this.judgeRun(job.agent_id, (agent) => ({ type: 'exited', agent, code: 0, signal: null, stderr_tail: '', ...evidence }));
    });
    this.output.close(job.agent_id);
  }

  /**
   * An AI agent's exit 0 on a daemon is judged as a local one's (work-evidence-rule.ts): by what the job
   * itself did, as its daemon reports it (its commits and changes since it started, its tool calls, its
   * `wg` commands) and what it reported here. A job whose task it settled itself needs none.
   */
  private async evidence(job: DaemonJob, work: JobWork): Promise<Pick<RunEnd, 'evidence' | 'no_evidence_reason'>> {
    if (!work.agent) return {};
    const task = await findTaskState(this.store.core, job.task_id);
    if (task?.status !== 'in-progress' || task.assigned !== job.agent_id) return {};
    const calls = (op: string) => work.wg_calls[op] ?? 0;
    const found = judgeWork({
      reported: calls('task:log') + calls('task:artifact') > 0 || (await reportedAnything(this.store.core, job.task_id, job.agent_id)),
      changed: work.changed || work.commit_count > 0,
      others: work.shared_with,
      wroteByTool: work.wrote_files,
      changes: `the changes in ${job.repo} on agent daemon ${job.daemon_host}`,
      advice: 'report with wg done, or let that daemon run one job at a time there (MAX_JOBS=1)',
    });
    return found.found ? { evidence: true } : { evidence: false, no_evidence_reason: found.reason ?? null };
  }

  async failed(job: DaemonJob, message: FailMessage): Promise<void> {
    await this.store.core.batch(async () => {
      if (!(await this.jobs.end(job.lease_id, 'failed', `${message.kind}: ${message.reason.split('\n')[0] ?? ''}`))) return;
      await this.output.usage(job.agent_id, job.task_id, message);
      this.judgeRun(job.agent_id, failureEvent(job, message));
    });
    this.output.close(job.agent_id);
  }

  /** The daemon went silent past the stall timeout (or dropped the job): the run is dead, retried by the rules. */
  async lost(job: DaemonJob, reason: string): Promise<boolean> {
    let ended = false;
    await this.store.core.batch(async () => {
      ended = await this.jobs.end(job.lease_id, 'lost', reason);
      if (ended) this.judgeRun(job.agent_id, (agent) => ({ type: 'lease-lost', agent, reason }));
    });
    this.output.close(job.agent_id);
    return ended;
  }

  /**
   * Never reached a daemon (it disconnected first), its daemon lost the right to run it (a revoked token), or its daemon
   * stopped and the job with it: back to the queue without counting a retry.
   */
  async undelivered(job: DaemonJob, reason: string): Promise<void> {
    await this.store.core.batch(async () => {
      if (await this.jobs.end(job.lease_id, 'lost', reason)) this.judgeRun(job.agent_id, (agent) => ({ type: 'deferred', agent, reason }));
    });
    this.output.close(job.agent_id);
  }

  /**
   * The run is over on this side (killed, finished by hand): the lease ends. A run that settled its
   * own task ran on (endHolder's untilExit) and still works: its task was taken from it since (a
   * retry), so it ends here as a local run stopped under it would (an echo when already ended).
   */
  async cancelled(job: DaemonJob, reason: string): Promise<void> {
    await this.store.core.batch(async () => {
      if (await this.jobs.end(job.lease_id, 'cancelled', reason))
        this.judgeRun(job.agent_id, (agent) => ({ type: 'exited', agent, code: null, signal: 'SIGTERM', stderr_tail: reason }));
    });
    this.output.close(job.agent_id);
  }

  /**
   * The engine judges the run in a turn of its own (outside this transaction: its writes are no savepoints of it), not
   * awaited here: awaited inside this transaction, it would wait for the engine's turn, which may itself be waiting for
   * this transaction's write turn. A coordinator killed between the two commits leaves the run working; the next one
   * settles it (AgentDaemonService.settleEndedJobs).
   */
  private judgeRun(agentId: string, event: (agent: AgentView) => SchedulerEvent): void {
    void this.store.core.detached(() => this.engine.remoteEnded(agentId, event));
  }

  /** A message for a lease that is no longer current: noted on its task, nothing else. */
  async ignored(leaseId: string, what: string, from: string): Promise<void> {
    const job = await this.jobs.find(leaseId);
    if (!job) return;
    await this.store.core.write(async (rev) => {
      if (!(await findTaskRow(this.store.core, job.task_id))) return;
      await appendLog(
        this.store.core,
        job.task_id,
        'coordinator',
        `Ignored a late ${what} from agent daemon ${from} for ${job.agent_id}: its lease is no longer current (${job.outcome ?? job.state})`,
      );
      await this.store.core.send(this.store.core.build.updateTable('tasks').set({ rev }).where('id', '=', job.task_id));
    });
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function failureEvent(job: DaemonJob, message: FailMessage): (agent: AgentView) => SchedulerEvent {
  switch (message.kind) {
    case 'exit':
      // The CLI's own error message stands where a local run's stderr would.
      return (agent) => ({
        type: 'exited',
        agent,
        code: message.exit_code ?? 1,
        signal: null,
        stderr_tail: message.reason,
        daemon: job.daemon_host,
      });
    case 'timeout':
      // The daemon's own limit (TICKET_TIMEOUT_SECONDS or the job's), as long as the job ran.
      return (agent) => ({ type: 'run-timeout', agent, after_s: message.duration_ms / 1000 });
    case 'quota':
      return (agent) => ({
        type: 'deferred',
        agent,
        reason: `agent daemon ${job.daemon_host} is out of quota (${message.reason}); waiting for another`,
      });
    case 'stopped':
      // Its daemon stopped (SIGTERM, a restart) and the job with it: as a coordinator's stop with its agents leaves
      // their tasks (docs/runs.md), back to the queue without using a retry, since the work did not fail.
      return (agent) => ({
        type: 'deferred',
        agent,
        reason: `agent daemon ${job.daemon_host} stopped, and its job with it (${message.reason}); back to the queue without using a retry`,
      });
    case 'refused':
    case 'error':
      return (agent) => ({
        type: 'lease-lost',
        agent,
        reason: `agent daemon ${job.daemon_host} ${message.kind === 'refused' ? 'refused the job' : 'could not run it'}: ${message.reason}`,
      });
  }
}
