import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import { MESSAGE_PRIORITIES, type Message } from '../../message';
import { senderName, taskId, filled } from '../schemas';

const reader = builtOnce(() => filled().max(200).optional().describe('who reads (default: WG_AGENT_ID, else user)'));

/**
 * Operations: messages to and from tasks and their agents, as upstream's `wg msg` (its
 * `MsgCommands`). A message to a task reaches the agent working on it while it
 * works (see core/messages/delivery-hooks.ts).
 */
export const messageOps = {
  'msg:send': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Send a message to a task and the agent working on it (from inside an agent's run: only to the run's own task)",
    input: () =>
      z.object({
        task: taskId(),
        message: z
          .string()
          .regex(/\S/, 'the message is empty')
          .max(100_000, 'a message is at most 100,000 characters long')
          .optional()
          .describe('the message (or --stdin)'),
        from: senderName()
          .optional()
          .describe("sender, for people (default: user); a run's messages are its task's, and --from is refused there"),
        priority: z.enum(MESSAGE_PRIORITIES).optional().describe('normal (default) or urgent'),
      }),
    cli: { command: 'msg send', args: ['task', 'message'], stdin: 'message' },
  }).returns<Message>(),
  'msg:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List all messages of a task',
    input: () => z.object({ task: taskId() }),
    cli: { command: 'msg list', args: ['task'] },
  }).returns<Message[]>(),
  'msg:questions': op({
    kind: 'query',
    scope: 'store',
    summary:
      "The questions running tasks' agents have asked and nobody has answered: each such task's last message, where its agent wrote it and it is still unread",
    input: () => z.object({}),
    cli: { command: 'msg questions' },
  }).returns<Message[]>(),
  'msg:read': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Read unread messages of a task (marks them read)',
    input: () => z.object({ task: taskId(), agent: reader() }),
    cli: { command: 'msg read', args: ['task'] },
  }).returns<Message[]>(),
  'msg:poll': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show new messages without marking them read (exit 1 when there are none)',
    input: () => z.object({ task: taskId(), agent: reader() }),
    cli: { command: 'msg poll', args: ['task'], emptyExits: 1 },
  }).returns<Message[]>(),
};
