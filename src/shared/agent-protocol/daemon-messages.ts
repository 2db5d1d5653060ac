import { z } from 'zod';
import { runEventSchema } from './run-event-schema';

/** Messages an agent daemon sends to the coordinator, one schema each. */

const shortText = z.string().min(1).max(200);

/** The most a result's `output` carries (characters): a daemon keeps the end of a longer one (src/agentd/result-fit.ts). */
export const MAX_RESULT_OUTPUT_CHARS = 256 * 1024;
/** The most a result's `diff` carries (characters): a daemon cuts a longer one after a whole file, or leaves it out. */
export const MAX_RESULT_DIFF_CHARS = 3 * 1024 * 1024;
/** The most a failure's `reason` carries (characters). */
export const MAX_FAIL_REASON_CHARS = 4000;
const names = z.array(z.string().min(1).max(200)).max(200);
/** Lease ids are opaque to the daemon: it only hands them back. */
export const leaseId = z.string().regex(/^[0-9a-f]{32}$/, 'lease ids are 32 hex digits');
const isoTime = z.iso.datetime({ offset: true });

/** First message on a connection: who the daemon is and which protocol it speaks. */
const authMessage = z.object({
  type: z.literal('auth'),
  token: z.string().min(1).max(200),
  protocol: z.number().int().min(1),
  agent_version: shortText,
});

/** A job the daemon still holds, reported when it (re)registers. */
const heldJob = z.object({
  lease_id: leaseId,
  /** `finished`: its result waits to be delivered (it follows as ticket.result or ticket.fail). */
  state: z.enum(['running', 'finished']),
});

const cliInfo = z.object({ name: shortText, version: z.string().max(200) });

/** What the daemon can do; sent once authenticated, and again after every reconnect. */
const registerMessage = z.object({
  type: z.literal('agent.register'),
  host: shortText,
  /**
   * This daemon process's own secret, made at its start and sent only here: a reconnect that
   * carries it is the same daemon (it may take over its old connection and keep its jobs); a second
   * connection with the same token and host name but another instance is not (daemon-identity.ts).
   */
  instance: z.string().regex(/^wgi_[0-9a-f]{32}$/, 'instance is wgi_ and 32 hex digits'),
  /** The `wg` its jobs run (an absolute path on its machine): the workflow prompt names it. */
  wg: z.string().min(1).max(1000),
  version: shortText,
  roles: names,
  repos: names,
  clis: z.array(cliInfo).max(20),
  capacity: z.number().int().min(1).max(256),
  jobs: z.array(heldJob).max(256),
});

const heartbeatMessage = z.object({
  type: z.literal('agent.heartbeat'),
  running: z.array(leaseId).max(256),
});

/**
 * The daemon can do less (or more) than it registered: a CLI out of quota until a reset time,
 * or a changed capacity. `downgraded_until: null` lifts a downgrade.
 */
const capabilitiesMessage = z.object({
  type: z.literal('agent.capabilities'),
  capacity: z.number().int().min(1).max(256).optional(),
  downgraded_until: isoTime.nullable().optional(),
  reason: z.string().max(1000).optional(),
});

/** Acknowledges a ticket.assigned: the job is accepted and starting. */
const claimMessage = z.object({ type: z.literal('ticket.claim'), lease_id: leaseId });

const progressMessage = z.object({
  type: z.literal('ticket.progress'),
  lease_id: leaseId,
  events: z.array(runEventSchema).max(5000),
});

const commitId = z.string().regex(/^[0-9a-f]{40,64}$/, 'a commit id is 40 (or 64) hex digits');
const opName = z.string().regex(/^[a-z-]+:[a-z-]+$/, 'an operation name, e.g. task:log');

/**
 * What the job itself did, for the coordinator to judge its exit 0 by the same rule as a local run's
 * (runs/rules/work-evidence-rule.ts): its own commits and changes since it started, its own tool calls,
 * and its own `wg` commands (the daemon's relay saw each one the coordinator accepted).
 */
const jobWork = z.object({
  /** Its output was an AI agent CLI's stream (Claude Code's, codex's): an exit 0 is done only with evidence of work, as a local agent's. */
  agent: z.boolean(),
  /** Commits made in its folder since it started (HEAD's new commits, oldest first; the first 100). */
  commits: z.array(commitId).max(100),
  /** How many there were in all. */
  commit_count: z.number().int().min(0),
  /** Its folder (tracked and untracked files, commits included) differs from when it started. */
  changed: z.boolean(),
  /** One of its own tool calls that did not fail wrote a file inside its folder (Write, Edit, codex's file_change). */
  wrote_files: z.boolean(),
  /** Other jobs of this daemon that worked in the same folder while it ran (their job ids). */
  shared_with: z.array(z.string().min(1).max(200)).max(256),
  /** Its `wg` commands the coordinator accepted, by operation (task:log, task:artifact, task:done…). */
  wg_calls: z.record(opName, z.number().int().min(0)).refine((calls) => Object.keys(calls).length <= 100, 'at most 100 operations'),
});

/** The CLI exited 0: the task is done, with what it produced, if what it did counts as work. */
const resultMessage = z.object({
  type: z.literal('ticket.result'),
  lease_id: leaseId,
  exit_code: z.literal(0),
  /** The CLI's final answer (its result event's text, or the end of its output). */
  output: z.string().max(MAX_RESULT_OUTPUT_CHARS),
  cost_usd: z.number().min(0).nullable(),
  tokens_in: z.number().int().min(0).nullable(),
  tokens_out: z.number().int().min(0).nullable(),
  artifacts: z.array(z.string().min(1).max(1000)).max(1000),
  /** The changes the job made in the repository, as a git diff; null when none or not a git repository. */
  diff: z.string().max(MAX_RESULT_DIFF_CHARS).nullable(),
  /** The branch the CLI committed to (or pushed), when HEAD moved. */
  branch: z.string().max(300).nullable(),
  duration_ms: z.number().int().min(0),
  work: jobWork,
});

/**
 * Why a job did not complete. `refused`: the daemon would not run it; `quota`: the CLI is out of quota; `stopped`: the
 * daemon itself was stopping (SIGTERM, its service restarted) and stopped the job with it, no fault of the work.
 */
const FAIL_KINDS = ['exit', 'timeout', 'quota', 'refused', 'error', 'stopped'] as const;

const failMessage = z.object({
  type: z.literal('ticket.fail'),
  lease_id: leaseId,
  kind: z.enum(FAIL_KINDS),
  reason: z.string().min(1).max(MAX_FAIL_REASON_CHARS),
  exit_code: z.number().int().nullable(),
  cost_usd: z.number().min(0).nullable(),
  tokens_in: z.number().int().min(0).nullable(),
  tokens_out: z.number().int().min(0).nullable(),
  /** For `quota`: when the CLI said it resets. */
  retry_after: isoTime.nullable(),
  duration_ms: z.number().int().min(0),
});

/**
 * A `wg` command run inside a job (log, artifact, done, fail, add, msg, reads), relayed over the
 * daemon's connection. The coordinator runs the operation as the job's own run would (run-authority:
 * only about its own task) and only while the lease is current and held by this connection.
 */
const jobOpMessage = z.object({
  type: z.literal('job.op'),
  lease_id: leaseId,
  /** The daemon's number for this request; the answer carries it back. */
  request_id: z.number().int().min(0),
  /** An operation of the op registry (src/shared/ops), e.g. `task:log`; its input is checked by its own schema there. */
  op: z.string().min(1).max(100),
  input: z.unknown(),
});

export const daemonMessage = z.discriminatedUnion('type', [
  jobOpMessage,
  authMessage,
  registerMessage,
  heartbeatMessage,
  capabilitiesMessage,
  claimMessage,
  progressMessage,
  resultMessage,
  failMessage,
]);

export type DaemonMessage = z.infer<typeof daemonMessage>;
export type RegisterMessage = z.infer<typeof registerMessage>;
export type HeartbeatMessage = z.infer<typeof heartbeatMessage>;
export type CapabilitiesMessage = z.infer<typeof capabilitiesMessage>;
export type ProgressMessage = z.infer<typeof progressMessage>;
export type ResultMessage = z.infer<typeof resultMessage>;
export type FailMessage = z.infer<typeof failMessage>;

/** A job's failure with no run to report (no exit code, usage or time): refused by the daemon, or its end unreadable. */
export function failureWithoutRun(lease_id: string, kind: FailMessage['kind'], reason: string): FailMessage {
  return {
    type: 'ticket.fail',
    lease_id,
    kind,
    reason,
    exit_code: null,
    cost_usd: null,
    tokens_in: null,
    tokens_out: null,
    retry_after: null,
    duration_ms: 0,
  };
}
export type CliInfo = z.infer<typeof cliInfo>;
export type JobOpMessage = z.infer<typeof jobOpMessage>;
export type JobWork = z.infer<typeof jobWork>;
