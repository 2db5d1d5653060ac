import { Command, CommanderError } from 'commander';
import { appVersion } from './version';
import { registerOpCommands } from './op-commands';
import { registerInit } from './init-command';
import { registerServiceCommands } from './service-commands';
import { registerAgentdCommands } from './agentd-commands';
import { registerMsgHook } from './msg-hook-command';
import { registerDbCheck } from './db-check-command';
import type { GlobalOptions } from './run-op';

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

/** The whole command table: every op of the registry, plus init, service and agentd, parsed with commander. */
export async function runProgram(argv: string[]): Promise<void> {
  const program = new Command('wg')
    .description('Workgraph: a task graph run by AI coding agents')
    .version(appVersion(), '-V, --version', 'print the version')
    .option('--dir <path>', 'project folder or its .workgraph (default: WG_DIR, else the nearest .workgraph upward)')
    .option('--json', 'print machine-readable JSON')
    .option(
      '--server <urls>',
      "send every command to this coordinator's API (default: WG_SERVER; several, comma separated, are tried in order)",
    )
    .option('--token <token>', "a person's token for --server (default: WG_TOKEN); for wg agentd, its agent token")
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `wg: ${text}` : text) });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerInit(program, globals);
  registerOpCommands(program, globals, commandWord(argv.slice(2)));
  registerDbCheck(program, globals);
  registerServiceCommands(program, globals);
  registerAgentdCommands(program, globals);
  registerMsgHook(program, globals);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    throw error;
  }
}
