import { Command, CommanderError } from 'commander';
import { oneLine } from '../shared/errors';
import { appVersion } from '../core/app-version';
import { opsUnder, opsWithCli, registerOpCommands } from './op-commands';
import type { OpName } from '../shared/ops/registry';
import { everyValueGivenOnce } from './flags';
import type { GlobalOptions } from './run-op';
import { CliExit, type CliIo } from './cli-io';

type Register = (program: Command, globals: () => GlobalOptions, io: CliIo) => void;

/**
 * The commands that are not the op registry's, in the order help lists them (init first, the rest after the
 * operations), each with the words it adds commands under: a `wg` start loads only the module of the word it was
 * given (`wg show` loads none of them). A word of no module and of no operation (a typo, `help`) loads them all.
 */
const COMMAND_MODULES: ReadonlyArray<{ words: readonly string[]; beforeOps?: true; load: () => Promise<Register> }> = [
  { words: ['init'], beforeOps: true, load: async () => (await import('./init-command')).registerInit },
  { words: ['check'], load: async () => (await import('./db-check-command')).registerDbCheck },
  { words: ['service'], load: async () => (await import('./service-commands')).registerServiceCommands },
  { words: ['agentd'], load: async () => (await import('./agentd-commands')).registerAgentdCommands },
  { words: ['msg'], load: async () => (await import('./msg-hook-command')).registerMsgHook },
  { words: ['codex-run'], load: async () => (await import('./codex-run-command')).registerCodexRun },
  { words: ['exec', 'quickstart', 'agent-guide', 'watch'], load: async () => (await import('./loop-commands')).registerLoopCommands },
  { words: ['chat'], load: async () => (await import('./chat-command')).registerChatCommand },
  { words: ['which'], load: async () => (await import('./which-command')).registerWhich },
];

/**
 * What a run's command table holds: the command modules and the operations under its word (`model` → `model add`,
 * `model list`…; `init` → init's module and no operation), or all of them when the word names nothing (a typo, `help`) or
 * there is none (`wg --help`), so that commander's help and errors see the whole table.
 */
function tableFor(word: string | undefined): { modules: typeof COMMAND_MODULES; ops: readonly OpName[] } {
  const modules = word === undefined ? [] : COMMAND_MODULES.filter((module) => module.words.includes(word));
  const ops = word === undefined ? [] : opsUnder(word);
  return modules.length > 0 || ops.length > 0 ? { modules, ops } : { modules: COMMAND_MODULES, ops: opsWithCli() };
}

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
 * command word of a run, only the operations and the command modules under it are built; without one, all of them
 * (`wg --help`, the command reference). What its commands print goes to `io`.
 */
export async function buildProgram(io: CliIo, word?: string): Promise<Command> {
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
  const table = tableFor(word);
  const registers = await Promise.all(
    table.modules.map(async (module) => ({ beforeOps: module.beforeOps, register: await module.load() })),
  );
  for (const { register } of registers.filter((r) => r.beforeOps)) register(program, globals, io);
  registerOpCommands(program, globals, io, table.ops);
  for (const { register } of registers.filter((r) => !r.beforeOps)) register(program, globals, io);
  everyValueGivenOnce(program);
  return program;
}

/**
 * Parses and runs one `wg` command line. `args` are the command's own (no node, no script); what it prints goes
 * to `io`; it returns the exit code.
 */
export async function runProgram(args: readonly string[], io: CliIo): Promise<number> {
  const program = await buildProgram(io, commandWord(args));
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliExit) return error.code;
    throw error;
  }
  return io.exitCode;
}
