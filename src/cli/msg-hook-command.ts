import type { Command } from 'commander';
import type { Message } from '../shared/message';
import { locateProject } from '../core/project';
import { takeInboxMarker } from '../core/messages/inbox-marker';
import type { HookEvent } from '../core/messages/delivery-hooks';
import { quotedMessages } from '../core/messages/quoted-message';
import { runOp, type GlobalOptions } from './run-op';
import { jsonText } from '../core/text/plain-text';
import { errorText } from '../shared/errors';
import type { CliIo } from './cli-io';

const EVENTS: readonly HookEvent[] = ['post-tool-use', 'stop'];

/** What the agent reads: each message quoted under who sent it, and how to answer (upstream's agents reply with `wg msg send`). */
export function deliveryText(task: string, messages: readonly Message[], wg: string): string {
  return [
    `New message${messages.length === 1 ? '' : 's'} on your task ${task}, sent while you work (now marked read), quoted under who sent ${messages.length === 1 ? 'it' : 'each'}:`,
    '',
    quotedMessages(messages),
    '',
    `Act on ${messages.length === 1 ? 'it' : 'them'} now, and reply to each: ${wg} msg send ${task} "your reply"`,
  ].join('\n');
}

/** The hook's answer, in the shape Claude Code and Codex both read; null: nothing to say. */
function hookAnswer(event: HookEvent, text: string): Record<string, unknown> {
  return event === 'stop'
    ? { decision: 'block', reason: text }
    : { hookSpecificOutput: { hookEventName: 'PostToolUse', additionalContext: text } };
}

/**
 * `wg msg hook EVENT`: run by an agent CLI's hooks (core/messages/delivery-hooks.ts), inside the run
 * (WG_TASK_ID, WG_AGENT_ID). Prints the agent's unread messages as the hook's answer, marking them
 * read, or nothing. It never fails the agent's tool call or its stop: a problem is one line on stderr.
 */
export function registerMsgHook(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const msg = program.commands.find((c) => c.name() === 'msg') ?? program.command('msg');
  msg
    .command('hook')
    .description("hand an agent its unread messages (run by Claude Code's and Codex's hooks in agent runs)")
    .argument('<event>', EVENTS.join(' or '))
    .action(async (event: string) => {
      const task = process.env.WG_TASK_ID;
      if (!EVENTS.includes(event as HookEvent) || !task || !process.env.WG_AGENT_ID) return;
      try {
        takeInboxMarker(locateProject({ dir: globals().dir }).serviceDir, task);
        const unread = await runOp('msg:read', { task }, globals(), io);
        if (unread.length === 0) return;
        const text = deliveryText(task, unread, process.env.WG_BIN || 'wg');
        io.stdout.write(`${jsonText(hookAnswer(event as HookEvent, text))}\n`);
      } catch (error) {
        io.stderr.write(`wg msg hook: ${errorText(error)}\n`);
      }
    });
}
