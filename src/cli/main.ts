import { Command, CommanderError } from 'commander';
import { WgError } from '../shared/errors';
import { plainFailure } from '../shared/plain-failure';
import { registerOpCommands } from './op-commands';
import { registerInit } from './init-command';
import { registerServiceCommands } from './service-commands';
import { registerAgentdCommands } from './agentd-commands';
import type { GlobalOptions } from './run-op';

/** Prints one line for any failure and exits nonzero; nothing was changed by then (one transaction). */
function fail(error: unknown): never {
  const message = error instanceof WgError ? error.message : (plainFailure(error) ?? (error instanceof Error ? error.message : String(error)));
  process.stderr.write(`wg: ${message.split('\n')[0]}\n`);
  process.exit(error instanceof WgError && error.code === 'not_found' ? 3 : 1);
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('wg')
    .description('Workgraph: a task graph run by AI coding agents')
    .option('--dir <path>', 'project folder or its .workgraph (default: WG_DIR, else the nearest .workgraph upward)')
    .option('--json', 'print machine-readable JSON')
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text.startsWith('error:') ? `wg: ${text}` : text) });
  const globals = (): GlobalOptions => program.opts<GlobalOptions>();
  registerInit(program, globals);
  registerOpCommands(program, globals);
  registerServiceCommands(program, globals);
  registerAgentdCommands(program, globals);
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    fail(error);
  }
}

main(process.argv).catch(fail);
