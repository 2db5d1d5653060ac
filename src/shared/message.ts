/**
 * Messages to and from tasks and their agents (upstream's `wg msg` and its `Message`). Field names
 * are upstream's, so `wg msg list --json` prints what upstream's does.
 */

/** Upstream's delivery lifecycle: a status only ever moves forward. */
export const DELIVERY_STATUSES = ['sent', 'delivered', 'read', 'acknowledged'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const MESSAGE_PRIORITIES = ['normal', 'urgent'] as const;
export type MessagePriority = (typeof MESSAGE_PRIORITIES)[number];

export interface Message {
  /** Per task, from 1, in the order they were sent (upstream's ids are per task too). */
  id: number;
  task_id: string;
  /** ISO 8601. */
  timestamp: string;
  /** `user`, `coordinator`, or the task id of the agent that sent it (upstream's rule for a run's `wg msg send`). */
  sender: string;
  body: string;
  priority: MessagePriority;
  status: DeliveryStatus;
  /** When an agent first read it; absent until then (upstream omits it). */
  read_at?: string;
  /** The agent run that sent it, when one did: an agent is never handed back its own words. */
  agent_id?: string;
}
