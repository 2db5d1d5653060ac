import { Command, CommanderError } from 'commander';
import { oneLine } from '../shared/errors';
import { appVersion } from '../core/app-version';
import { registerOpCommands } from './op-commands';
import { everyValueGivenOnce } from './flags';
import { registerInit } from './init-command';
import { registerServiceCommands } from './service-commands';
import { registerAgentdCommands } from './agentd-commands';
import { registerMsgHook } from './msg-hook-command';
import { registerCodexRun } from './codex-run-command';
import { registerDbCheck } from './db-check-command';
import { registerLoopCommands } from './loop-commands';
import { registerChatCommand } from './chat-command';
import { registerWhich } from './which-command';
import type { GlobalOptions } from './run-op';
import { CliExit, type CliIo } from './cli-io';

/**
 * The first word that names a command (`show` in `wg --dir x show t1`), skipping the global options: only
 * the operations under that word are built, each building its schema (`wg --help` builds them all).
 */
export function commandWord(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--dir' || arg === '--server' || arg === '--token') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/**
 * The command table: every op of the registry, plus init, service and agentd, parsed with commander. Given the
 * command word of a run, only the operations under it are built; without one, all of them (`wg --help`, the
 * command reference). What its commands print goes to `io`.
 */
export function buildProgram(io: CliIo, word?: string): Command {
  const program = new Command('wg')
    .description('Workgraph: a task graph run by AI coding agents')
    .version(appVersion(), '-V, --version', 'print the version')
    .option('--dir <path>', 'project folder or its .workgraph (default: WG_DIR, else the nearest .wg or .workgraph upward)')
    .option('--json', 'print machine-readable JSON')
    .option(
      '--server <urls>',
      "send every command to this coordinator's API (default: WG_SERVER; several, comma separated, are tried in order)",
    )
    .option('--token <token>', "a person's token for --server (default: WG_TOKEN); for wg agentd, its agent token")
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      // commander's refusal quotes what was typed: a line break in it is shown as \n, so the refusal stays one line.
      writeErr: (text) => io.stderr.write(text.startsWith('error:') ? `wg: ${oneLine(text.trimEnd())}\n` : text),
      // Help fits a terminal's width, else it is not wrapped: commander's own default, its type says number only.
      getOutHelpWidth: () => (io.stdout.isTTY ? io.stdout.columns : undefined) as number,
      getErrHelpWidth: () => (io.stderr.isTTY ? io.stderr.columns : undefined) as number,
    });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerInit(program, globals, io);
  registerOpCommands(program, globals, io, word);
  registerDbCheck(program, globals, io);
  registerServiceCommands(program, globals, io);
  registerAgentdCommands(program, globals, io);
  registerMsgHook(program, globals, io);
  registerCodexRun(program, globals, io);
  registerLoopCommands(program, globals, io);
  registerChatCommand(program, globals, io);
  registerWhich(program, globals, io);
  everyValueGivenOnce(program);
  return program;
}

/**
 * Parses and runs one `wg` command line. `args` are the command's own (no node, no script); what it prints goes
 * to `io`; it returns the exit code.
 */
export async function runProgram(args: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io, commandWord(args));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliExit) return error.code;
    throw error;
  }
  return io.exitCode;
}
