import type { Command } from 'commander';
import type { ChatExchange, ChatMessage } from '../shared/chat';
import { WgError } from '../shared/errors';
import { runOp, type GlobalOptions } from './run-op';
import type { CliIo } from './cli-io';

/*
 * `wg chat`, as upstream's `wg chat`: a message prints the coordinator agent's answer; no message, a
 * conversation at the terminal; --history the chat so far. The terminal face of the chat operations (chat:send,
 * chat:history), which the window and the HTTP API reach too.
 */

interface ChatOptions {
  interactive?: boolean;
  history?: boolean;
  historyDepth?: string;
  timeout?: string;
}

/** A whole number of a flag's unit, or one clear line. */
function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim())) throw new WgError('invalid', `${flag} takes a whole number, not '${value}'`);
  return Number(value.trim());
}

/** Upstream's history line: `[HH:MM:SS] role: content`. */
function historyLine(message: ChatMessage): string {
  const at = message.timestamp.includes('T')
    ? message.timestamp.slice(message.timestamp.indexOf('T') + 1, message.timestamp.indexOf('T') + 9)
    : message.timestamp;
  return `[${at}] ${message.role}: ${message.content}`;
}

/** What upstream says when the answer did not come in time (the message stays in the inbox, and is answered there). */
function noAnswer(io: CliIo, timeoutS: number): void {
  io.stderr.write(`Timeout: coordinator did not respond within ${timeoutS}s.\n`);
  io.stderr.write('Your message was stored in the inbox. The response will appear when the coordinator processes it.\n');
  io.stderr.write("Use 'wg chat --history' to view past messages.\n");
}

async function send(message: string, timeoutS: number | undefined, globals: GlobalOptions, io: CliIo): Promise<ChatExchange> {
  return runOp('chat:send', { message, ...(timeoutS !== undefined ? { timeout: timeoutS } : {}) }, globals, io);
}

/** One message, its answer printed (an answer that is an error: on stderr, exit 1). */
async function sendOne(message: string, timeoutS: number | undefined, globals: GlobalOptions, io: CliIo): Promise<void> {
  const exchange = await send(message, timeoutS, globals, io);
  if (globals.json) {
    io.stdout.write(`${JSON.stringify(exchange, null, 2)}\n`);
    return;
  }
  const answer = exchange.answer;
  if (answer === null) return noAnswer(io, timeoutS ?? 120);
  if (answer.role === 'system-error') {
    io.stderr.write(`wg: ${answer.content}\n`);
    io.exitCode = 1;
    return;
  }
  io.stdout.write(`${answer.content}\n`);
}

/** Upstream's REPL: `you> ` on stderr, each answer as `coordinator> …`, until end of input. */
async function interactive(timeoutS: number | undefined, globals: GlobalOptions, io: CliIo): Promise<void> {
  // Said at once when no coordinator runs, before any prompt (upstream checks the service first too).
  await runOp('service:status', {}, globals, io);
  io.stderr.write('Interactive chat with coordinator (Ctrl-D to exit)\n\n');
  const { createInterface } = await import('node:readline');
  const lines = createInterface({ input: process.stdin, terminal: false });
  io.stderr.write('you> ');
  for await (const line of lines) {
    const message = line.trim();
    if (message !== '') {
      const exchange = await send(message, timeoutS, globals, io);
      const answer = exchange.answer;
      if (answer === null) io.stderr.write(`Timeout: no response within ${timeoutS ?? 120}s. Message was stored.\n`);
      else if (answer.role === 'system-error') io.stderr.write(`wg: ${answer.content}\n`);
      else io.stdout.write(`coordinator> ${answer.content}\n`);
      io.stderr.write('\n');
    }
    io.stderr.write('you> ');
  }
  io.stderr.write('\n');
}

export function registerChatCommand(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  program
    .command('chat')
    .description('Talk to the coordinator agent: a message prints its answer; no message, a conversation; --history the chat so far')
    .argument('[message]', 'message to send (omit for interactive mode)')
    .option('-i, --interactive', 'interactive mode (the default without a message)')
    .option('--history', 'show the chat history')
    .option('--history-depth <n>', 'with --history, only the last N messages')
    .option('--timeout <seconds>', 'seconds to wait for the answer (default 120)')
    .action(async (message: string | undefined, options: ChatOptions) => {
      const depth = wholeNumber('--history-depth', options.historyDepth);
      const timeoutS = wholeNumber('--timeout', options.timeout);
      if (options.history) {
        if (message !== undefined) throw new WgError('invalid', '--history shows the chat; send a message without it');
        const history = await runOp('chat:history', depth === undefined ? {} : { depth }, globals(), io);
        if (globals().json) io.stdout.write(`${JSON.stringify(history, null, 2)}\n`);
        else io.stdout.write(history.length === 0 ? 'No chat history.\n' : `${history.map(historyLine).join('\n')}\n`);
        return;
      }
      if (depth !== undefined) throw new WgError('invalid', '--history-depth goes with --history');
      // Said here, before the coordinator is looked for: nothing to send is the first thing wrong.
      if (message !== undefined && message.trim() === '') throw new WgError('invalid', 'the message is empty');
      if (message !== undefined && !options.interactive) return sendOne(message, timeoutS, globals(), io);
      if (message !== undefined) throw new WgError('invalid', 'give a message or --interactive, not both');
      return interactive(timeoutS, globals(), io);
    });
}
