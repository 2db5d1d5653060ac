import type { DeliveryStatus, Message } from '../shared/message';
import { agentFromEnv } from './run-op';

/** `wg msg` output, line for line as upstream's `wg msg` prints it. */

const STATUS_ICON: Record<DeliveryStatus, string> = { sent: '\u2709', delivered: '\u{1f4ec}', read: '\u{1f441}', acknowledged: '\u2705' };

/** Every break a terminal or a reader takes for a new line. */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/**
 * A field of a message's head line, kept on that line: a break in it is written as its escape (`\n`). This app
 * refuses a sender with one, but upstream's wg takes any (its `messages/<task>.jsonl`, read in here): written as it
 * is, it would begin a line that reads as the message's body, and the list would not be one head line a message.
 */
const escaped = (char: string) =>
  char === '\n' ? '\\n' : char === '\r' ? '\\r' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
const oneLine = (text: string) => text.replace(LINE_BREAK, (brk) => [...brk].map(escaped).join(''));

function messageBlock(message: Message): string {
  const urgent = message.priority === 'urgent' ? ' [URGENT]' : '';
  const head = `  #${message.id} ${STATUS_ICON[message.status]} [${oneLine(message.timestamp)}] ${oneLine(message.sender)}${urgent}`;
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

/** The running tasks' open questions: each under its task, as `msg list` writes a message. */
export function questionsText(messages: readonly Message[]): string {
  if (messages.length === 0) return 'No running task waits on an answer';
  const count = messages.length === 1 ? '1 running task waits' : `${messages.length} running tasks wait`;
  const blocks = messages.map((message) => [`'${oneLine(message.task_id)}':`, messageBlock(message)].join('\n'));
  return [`${count} on an answer (reply with 'wg msg send TASK MESSAGE'):`, '', ...blocks].join('\n').trimEnd();
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
