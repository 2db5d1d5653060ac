import type { Message } from '../../shared/message';
import { plainText } from '../text/plain-text';

/** What a quoted message needs of a message (the resume context keeps fewer fields than a whole one). */
export type QuotableMessage = Pick<Message, 'sender' | 'timestamp' | 'body'> & { priority?: Message['priority']; agent_id?: string | null };

/** Every line break a model may read as one, so no line of a body escapes its quote. */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/;
/** A sender's name that reads as a name as it is. */
const PLAIN_NAME = /^[\w.@:+-]{1,100}$/;

/** Control characters, escape sequences and bidi overrides go (plain-text.ts): what a message says is what a person reads too. */
const oneLine = (text: string) => plainText(text.split(LINE_BREAK).join(' '));

/** The sender as one line of text: as it is when plain, else in double quotes, so nothing it says passes for the prompt's words. */
function senderName(sender: string): string {
  return PLAIN_NAME.test(sender) ? sender : JSON.stringify(oneLine(sender).slice(0, 200));
}

/**
 * A message as an agent reads it (its prompt, its hooks, its resume context): who sent it and
 * when, then its body quoted, every line after "> ". A body cannot open a section of the prompt
 * (its "## Required workflow" stays "> ## Required workflow", inside the quote) nor pass for
 * another message's heading, and a sender's name is one line in quotes unless it is a plain name,
 * so a sender "coordinator [URGENT]" reads as what it is. Urgency is said by the message's
 * priority, never by its text.
 */
function quotedMessage(message: QuotableMessage): string {
  const run = message.agent_id ? ` (the agent ${senderName(message.agent_id)})` : '';
  const urgent = message.priority === 'urgent' ? ', marked urgent' : '';
  const lines = message.body.split(LINE_BREAK).map((line) => `> ${plainText(line)}`.trimEnd());
  return [`message from ${senderName(message.sender)}${run}, sent ${oneLine(message.timestamp).slice(0, 60)}${urgent}:`, ...lines].join(
    '\n',
  );
}

/** Several, oldest first, a blank line between. */
export function quotedMessages(messages: readonly QuotableMessage[]): string {
  return messages.map(quotedMessage).join('\n\n');
}
