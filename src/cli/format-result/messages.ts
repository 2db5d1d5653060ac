import { messageListText, questionsText, readerFrom, sentText, unreadText } from '../message-format';
import type { Formatters } from './formatters';

/** A task's messages: one sent, the list, and the unread ones. */

export const messageFormatters: Formatters = {
  'msg:send': sentText,
  'msg:list': (messages, _term, input) => messageListText(messages, String(input.task)),
  'msg:questions': questionsText,
  'msg:read': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'unread'),
  'msg:poll': (messages, _term, input) => unreadText(messages, String(input.task), readerFrom(input), 'new'),
};
