import { z } from 'zod';
import { op } from '../define';
import type { ChatExchange, ChatMessage } from '../../chat';

/** Upstream's `wg chat` limit (MAX_MESSAGE_SIZE): 100 KB, against a file piped in by mistake. */
const MAX_MESSAGE = 100 * 1024;

/** Upstream's default wait for the answer (DEFAULT_TIMEOUT_SECS). */
export const CHAT_TIMEOUT_S = 120;

/**
 * Operations: the coordinator chat, as upstream's `wg chat`. A message goes to the coordinator
 * agent the service hosts, which acts on the graph through `wg` and answers; both are kept in upstream's
 * `.wg/chat/` files. Their terminal face is `wg chat` (src/cli/chat-command.ts), the window's the chat panel.
 */
export const chatOps = {
  'chat:send': op({
    kind: 'mutation',
    scope: 'service',
    summary: 'Send a message to the coordinator agent and wait for its answer',
    input: () =>
      z.object({
        message: z.string().regex(/\S/, 'the message is empty').max(MAX_MESSAGE, 'a chat message is at most 100 KB (upstream’s limit)'),
        timeout: z
          .number()
          .int('--timeout is a whole number of seconds')
          .min(1, '--timeout is at least 1 second')
          .max(3600, '--timeout is at most 3600 seconds')
          .optional()
          .describe(`seconds to wait for the answer (default ${CHAT_TIMEOUT_S})`),
      }),
    // The answer takes as long as the agent's turn: the caller's connection waits that long, and a little more.
    answerWithinMs: (input) => ((input as { timeout?: number }).timeout ?? CHAT_TIMEOUT_S) * 1000 + 15_000,
  }).returns<ChatExchange>(),
  'chat:history': op({
    kind: 'query',
    scope: 'store',
    summary: 'The coordinator chat so far: messages and answers in the order they were written',
    input: () =>
      z.object({
        depth: z.number().int().min(1, '--history-depth is at least 1').optional().describe('only the last N messages'),
      }),
  }).returns<ChatMessage[]>(),
};
