import { z } from 'zod';
import { leaseId } from './daemon-messages';

/** Messages the coordinator sends to an agent daemon, one schema each. */

const authOkMessage = z.object({
  type: z.literal('auth.ok'),
  protocol: z.number().int(),
  /** The name of the token the daemon authenticated with. */
  token_name: z.string(),
  heartbeat_interval_s: z.number().positive(),
  stall_timeout_s: z.number().positive(),
});

/** The answer to agent.register: which of the jobs it reported it keeps (their leases hold). */
const registeredMessage = z.object({
  type: z.literal('agent.registered'),
  daemon_id: z.string(),
  keep: z.array(leaseId),
  /** Jobs whose lease is gone: stop them, and their results will be ignored. */
  drop: z.array(leaseId),
  /**
   * What it offered that its token does not allow (no job for those comes to it), and what the token allows (empty:
   * any); absent when it allows all of it. Older daemons ignore it.
   */
  outside_token: z
    .object({
      token: z.string(),
      repos: z.array(z.string()),
      roles: z.array(z.string()),
      allowed_repos: z.array(z.string()),
      allowed_roles: z.array(z.string()),
    })
    .optional(),
});

const assignedMessage = z.object({
  type: z.literal('ticket.assigned'),
  lease_id: leaseId,
  /** The run on the coordinator (its agent id), for logs. */
  job_id: z.string(),
  task: z.object({ id: z.string(), title: z.string(), description: z.string(), tags: z.array(z.string()) }),
  prompt: z.string(),
  repo: z.string(),
  role: z.string().nullable(),
  model: z.string().nullable(),
  /** The longest the coordinator lets the run take; the daemon applies the smaller of this and its own. */
  timeout_s: z.number().positive().nullable(),
});

const cancelMessage = z.object({ type: z.literal('ticket.cancel'), lease_id: leaseId, reason: z.string() });

/** A result or failure was received: the daemon may forget it. `accepted: false` when its lease was no longer current. */
const ackMessage = z.object({ type: z.literal('ticket.ack'), lease_id: leaseId, accepted: z.boolean(), note: z.string() });

/** A message was refused (it did not validate, or came at the wrong time); nothing changed but what `lease_id` says. */
const errorMessage = z.object({
  type: z.literal('error'),
  code: z.enum(['invalid', 'unauthorized', 'version', 'conflict']),
  message: z.string(),
  /**
   * The job the refused message was about, when it named one. A refused result or failure is the
   * job's failure (recorded, then acknowledged): the daemon must not send it again.
   */
  lease_id: leaseId.optional(),
});

/** The answer to a job.op: the operation's output, or why it was refused (one line for a person, and a code). */
const jobOpResultMessage = z.object({
  type: z.literal('job.op.result'),
  lease_id: leaseId,
  request_id: z.number().int().min(0),
  ok: z.boolean(),
  output: z.unknown().optional(),
  error: z.object({ code: z.string().min(1).max(40), message: z.string().max(4000) }).optional(),
});

export const coordinatorMessage = z.discriminatedUnion('type', [
  jobOpResultMessage,
  authOkMessage,
  registeredMessage,
  assignedMessage,
  cancelMessage,
  ackMessage,
  errorMessage,
]);

export type CoordinatorMessage = z.infer<typeof coordinatorMessage>;
export type AssignedMessage = z.infer<typeof assignedMessage>;
export type RegisteredMessage = z.infer<typeof registeredMessage>;
export type JobOpResultMessage = z.infer<typeof jobOpResultMessage>;
