import { randomBytes } from 'node:crypto';
import { sweepRunCgroups } from '../core/processes/run-cgroup';
import {
  failureWithoutRun,
  type AssignedMessage,
  type CliInfo,
  type CoordinatorMessage,
  type DaemonMessage,
  type FailMessage,
  type RegisteredMessage,
  type ResultMessage,
} from '../shared/agent-protocol';
import type { AgentdConfig } from './config';
import type { AgentdLog } from './agentd-log';
import { checkCli } from './cli-check';
import { CoordinatorConnection } from './connection';
import { outsideTokenLine } from './outside-token';
import { JobRun, type JobEnd } from './job-run';
import { JobRelay } from './job-relay';
import { ProgressBacklog } from './progress-backlog';
import { resolveRepo } from './repo-scope';
import { deliverable, fitProgress } from './result-fit';
import { timerAt } from '../core/timing/timer-at';
import { errorText } from '../shared/errors';

interface HeldJob {
  assigned: AssignedMessage;
  run: JobRun | null;
  /** Set when the job ended, as it is sent (cut to fit: result-fit.ts); kept until the coordinator acknowledges it (resent after a reconnect). */
  end: ResultMessage | FailMessage | null;
  /** Output that could not be sent while disconnected (sent once the lease is kept again), bounded by its size. */
  backlog: ProgressBacklog;
  /** Settles once its end is kept and sent (or found unwanted): what a stopping daemon waits for. */
  ended: Promise<void> | null;
  /** The folder it runs in, and the other jobs that ran in the same folder while it did (their job ids). */
  path: string;
  sharedWith: Set<string>;
}

/**
 * How long a stopping daemon waits for its jobs to end and their ends to go out: a kill's SIGTERM grace (3 s) and its
 * SIGKILL rounds (3 s), with room. What is left then is ended by the jobs' lifelines as this process exits.
 */
const STOP_WAIT_MS = 8_000;

/**
 * The agent daemon: takes jobs from the coordinator and runs them with the local CLI, within its
 * capacity and only in its REPO_PATHS. Finished results are kept until acknowledged, so a network
 * drop loses nothing: after reconnecting it reports what it still holds and resends what is owed.
 */
export class AgentDaemon {
  private readonly jobs = new Map<string, HeldJob>();
  private readonly connection: CoordinatorConnection;
  private clis: CliInfo[] = [];
  private stopped = false;
  /** The line last said of what its token does not allow. */
  private toldOutside: string | null = null;
  /** This process's secret: a reconnect that carries it is this daemon, not another with the same token and name. */
  private readonly instance = `wgi_${randomBytes(16).toString('hex')}`;
  /** The `wg` inside jobs, relayed over the connection with each job's lease. */
  private readonly relay = new JobRelay({
    send: (lease_id, request_id, op, input) => this.connection.send({ type: 'job.op', lease_id, request_id, op, input }),
  });

  constructor(
    private readonly config: AgentdConfig,
    private readonly version: string,
    private readonly log: AgentdLog,
    private readonly onFatal: (reason: string) => void,
  ) {
    this.connection = new CoordinatorConnection(
      { urls: config.urls, token: config.token, version, ca: config.ca, host: config.host, log },
      {
        register: () => this.registration(),
        message: (message) => this.receive(message),
        running: () => [...this.jobs].filter(([, job]) => job.end === null).map(([lease]) => lease),
        holding: () => this.jobs.size > 0,
        fatal: (line) => {
          this.log.error(line);
          void this.stop(line).then(() => this.onFatal(line));
        },
        disconnected: () => this.log.warn(`lost the coordinator with ${this.jobs.size} job(s) held; they keep running`),
      },
    );
  }

  async start(): Promise<void> {
    // A daemon killed outright leaves its jobs' empty cgroups (their lifelines ended the jobs).
    sweepRunCgroups();
    const cli = await checkCli(this.config.command, this.config.appDefaultCli);
    this.clis = cli.clis;
    if (cli.problem) this.log.warn(cli.problem);
    await this.relay.start(this.config.runAs !== null);
    this.log.info(
      `agent daemon ${this.config.host}: repos ${this.config.repos.map((r) => `${r.name}=${r.path}`).join(', ')}; roles ${this.config.roles.join(', ') || '(any)'}; up to ${this.config.maxJobs} job(s)${this.config.runAs ? `, run as ${this.config.runAs.name}` : ''}`,
    );
    this.connection.start();
  }

  /**
   * Stops taking work, kills what runs (whole process groups), reports each stopped job and then closes the
   * connection with its goodbye. Closed first, the jobs' ends went into a closed socket: the coordinator took
   * the daemon for silent a whole stall timeout later, and charged each task a retry.
   */
  async stop(why = 'the agent daemon was stopped (SIGTERM or a restart)'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const ending = [...this.jobs.values()].flatMap((job) => (job.run && job.ended ? [job.ended] : []));
    for (const job of this.jobs.values()) job.run?.stopWithDaemon(why);
    await within(Promise.all(ending), STOP_WAIT_MS);
    await this.connection.close();
    this.relay.stop();
  }

  private registration(): DaemonMessage {
    return {
      type: 'agent.register',
      host: this.config.host,
      instance: this.instance,
      wg: this.relay.wgPath,
      version: this.version,
      roles: this.config.roles,
      repos: this.config.repos.map((r) => r.name),
      clis: this.clis,
      capacity: this.config.maxJobs,
      jobs: [...this.jobs].map(([lease_id, job]) => ({ lease_id, state: job.end ? 'finished' : 'running' })),
    };
  }

  private receive(message: CoordinatorMessage): void {
    switch (message.type) {
      case 'agent.registered':
        if (message.outside_token) this.outsideToken(message.outside_token);
        for (const lease of message.drop) this.drop(lease, 'its lease is gone');
        // Owed results and progress go out now that the leases are confirmed.
        for (const lease of message.keep) this.flush(lease);
        return;
      case 'ticket.assigned':
        this.assigned(message);
        return;
      case 'ticket.cancel':
        this.drop(message.lease_id, message.reason);
        return;
      case 'ticket.ack':
        if (this.jobs.get(message.lease_id)?.end) this.jobs.delete(message.lease_id);
        if (!message.accepted) this.log.warn(`the coordinator did not take the result of ${message.lease_id.slice(0, 8)}: ${message.note}`);
        return;
      case 'job.op.result':
        this.relay.answered(message);
        return;
      case 'error':
        if (message.lease_id) this.refused(message.lease_id);
        return;
      case 'auth.ok':
        return;
    }
  }

  /** What it offers that its token does not allow: said once (not again at each reconnect), as no job for it will come. */
  private outsideToken(outside: NonNullable<RegisteredMessage['outside_token']>): void {
    const line = outsideTokenLine(outside);
    if (line === this.toldOutside) return;
    this.toldOutside = line;
    this.log.warn(line);
  }

  private assigned(job: AssignedMessage): void {
    const lease = job.lease_id;
    if (this.jobs.has(lease)) return;
    const refuse = (reason: string, kind: 'refused' | 'stopped' = 'refused') => {
      this.log.warn(`refused ${job.job_id} (${job.task.id}): ${reason}`);
      this.send(failureWithoutRun(lease, kind, reason));
    };
    if (this.stopped) return refuse('the agent daemon is stopping', 'stopped');
    const running = [...this.jobs.values()].filter((j) => j.end === null).length;
    if (running >= this.config.maxJobs) return refuse(`at capacity (${this.config.maxJobs} job(s))`);
    const repo = resolveRepo(job.repo, this.config.repos);
    if (!repo.ok) return refuse(repo.reason);
    if (job.role !== null && this.config.roles.length > 0 && !this.config.roles.includes(job.role)) {
      return refuse(`role '${job.role}' is not one of this daemon's ROLES (${this.config.roles.join(', ')})`);
    }
    // The worktree feature, when it exists, makes a worktree of repo.path here and runs the job in it.
    const held: HeldJob = {
      assigned: job,
      run: null,
      end: null,
      ended: null,
      backlog: new ProgressBacklog(),
      path: repo.path,
      sharedWith: new Set(),
    };
    // Jobs in the same folder at once cannot tell their changes apart: each one's result names the others.
    for (const other of this.jobs.values()) {
      if (other.end !== null || other.path !== held.path) continue;
      other.sharedWith.add(job.job_id);
      held.sharedWith.add(other.assigned.job_id);
    }
    this.jobs.set(lease, held);
    this.send({ type: 'ticket.claim', lease_id: lease });
    this.log.info(`running ${job.job_id} (${job.task.id}) in ${repo.path}`);
    held.run = new JobRun(this.config, job, repo.path, this.relay.open(lease), (events) =>
      this.send({ type: 'ticket.progress', lease_id: lease, events }, held),
    );
    held.ended = held.run
      .run()
      .catch((error: unknown): JobEnd => failureWithoutRun(lease, 'error', errorText(error)))
      .then((end) => this.finished(lease, held, end));
  }

  private finished(lease: string, held: HeldJob, finish: JobEnd): void {
    if (this.jobs.get(lease) !== held) return;
    const calls = this.relay.close(lease);
    // What only the daemon knows of the job's work: its `wg` commands, and who else worked in its folder.
    const whole: ResultMessage | FailMessage =
      finish.type === 'ticket.result'
        ? { ...finish, lease_id: lease, work: { ...finish.work, wg_calls: calls, shared_with: [...held.sharedWith].slice(0, 256) } }
        : { ...finish, lease_id: lease };
    // Cut to fit once, here: what is kept is what is sent, and sent again after a reconnect.
    const { end, notes } = deliverable(whole, { host: this.config.host, path: held.path, diffWhole: held.run?.diffWhole ?? true });
    held.end = end;
    held.run = null;
    const cut = notes.length > 0 ? ` (${notes.join(' ')})` : '';
    this.log.info(
      `${held.assigned.job_id} ${end.type === 'ticket.result' ? `completed${cut}` : `failed (${end.kind}): ${end.reason.split('\n')[0] ?? ''}`}`,
    );
    if (end.type === 'ticket.fail' && end.kind === 'quota') {
      // Take no more work until the reset the CLI named; the coordinator sends it elsewhere meanwhile.
      this.send({ type: 'agent.capabilities', downgraded_until: end.retry_after, reason: end.reason.slice(0, 1000) });
      const until = end.retry_after ? Date.parse(end.retry_after) : Number.NaN;
      if (until > Date.now()) timerAt(until, () => this.send({ type: 'agent.capabilities', downgraded_until: null }), { unref: true });
    }
    this.send(end);
  }

  /**
   * The coordinator refused a message about this job (it names its lease). A refused result or failure
   * is recorded there as the job's failure and acknowledged: it is not sent again (resent after each
   * reconnect, it was refused each time until the lease ran out and the task ran again).
   */
  private refused(lease: string): void {
    const held = this.jobs.get(lease);
    if (held?.end) this.jobs.delete(lease);
  }

  /** The coordinator no longer wants this job: stop it, forget it. */
  private drop(lease: string, reason: string): void {
    const held = this.jobs.get(lease);
    if (!held) return;
    this.log.warn(`dropping ${held.assigned.job_id} (${held.assigned.task.id}): ${reason}`);
    held.run?.cancel();
    this.relay.close(lease);
    this.jobs.delete(lease);
  }

  /** Sends; while disconnected, progress waits in the job's backlog and results wait in the job itself. */
  private send(message: DaemonMessage, held?: HeldJob): void {
    if (message.type !== 'ticket.progress') {
      this.connection.send(message);
      return;
    }
    // Behind what waits already: sent now, it would arrive before older output.
    if (held && !held.backlog.empty) {
      held.backlog.add(message.events);
      return;
    }
    // A batch too large for one frame goes as several (its long texts cut), or it would drop the connection.
    for (const part of fitProgress(message)) {
      if (this.connection.send(part) === 'offline' && held) held.backlog.add(part.events);
    }
  }

  private flush(lease: string): void {
    const held = this.jobs.get(lease);
    if (!held) return;
    // Lost again meanwhile, what is left waits again, in order.
    for (const message of held.backlog.take(lease)) if (this.connection.send(message) === 'offline') held.backlog.add(message.events);
    if (held.end) this.connection.send(held.end);
  }
}

/** Waits for `work`, but no longer than `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([work.then(() => undefined), late]);
  clearTimeout(timer);
}
