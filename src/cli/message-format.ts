import type { DeliveryStatus, Message } from '../shared/message';
import { agentFromEnv } from './run-op';

/** `wg msg` output, line for line as upstream's `wg msg` prints it. */

const STATUS_ICON: Record<DeliveryStatus, string> = { sent: '\u2709', delivered: '\u{1f4ec}', read: '\u{1f441}', acknowledged: '\u2705' };

function messageBlock(message: Message): string {
  const urgent = message.priority === 'urgent' ? ' [URGENT]' : '';
  const head = `  #${message.id} ${STATUS_ICON[message.status]} [${message.timestamp}] ${message.sender}${urgent}`;
  // Multi-line bodies are indented, each message followed by a blank line.
  return [head, ...message.body.split('\n').map((line) => `    ${line}`), ''].join('\n');
}

export function sentText(message: Message): string {
  return `Message #${message.id} sent to '${message.task_id}'`;
}

export function messageListText(messages: readonly Message[], task: string): string {
  if (messages.length === 0) return `No messages for task '${task}'`;
  return [`Messages for '${task}' (${messages.length} total):`, '', ...messages.map(messageBlock)].join('\n').trimEnd();
}

/** Who `msg read`/`msg poll` read as: `--agent`, else WG_AGENT_ID, else user (as the handler decides). */
export function readerFrom(input: Readonly<Record<string, unknown>>): string {
  return typeof input.agent === 'string' ? input.agent : (agentFromEnv()?.id ?? 'user');
}

export function unreadText(messages: readonly Message[], task: string, reader: string, kind: 'unread' | 'new'): string {
  if (messages.length === 0) return `No ${kind} messages for task '${task}' (agent: ${reader})`;
  const head = `${messages.length} ${kind} message${messages.length === 1 ? '' : 's'} for '${task}' (agent: ${reader}):`;
  return [head, '', ...messages.map(messageBlock)].join('\n').trimEnd();
}
