import type { Argument, Command, Option } from 'commander';
import { buildProgram } from '../src/cli/program';
import type { CliIo } from '../src/cli/cli-io';

/**
 * docs/commands.md, made from the command table `wg` itself parses with (src/cli/program.ts: every operation of the
 * registry, plus init, service and agentd), so the reference says exactly what `wg` accepts. `npm run docs` writes
 * it; a test fails when the file and the table disagree.
 */

const HEADER = `# Every \`wg\` command

Made by \`npm run docs\` from the command table \`wg\` parses with; do not edit by hand. Global options, accepted by
every command: \`--dir PATH\` (or \`WG_DIR\`; default: the nearest \`.wg/\` or \`.workgraph/\` upward), \`--json\`
(the objects, with workgraph's \`graph.jsonl\` field names), and \`--server URLS\` with \`--token TOKEN\` (or
\`WG_SERVER\` and \`WG_TOKEN\`: send the command to a team's coordinator, [team.md](team.md)). \`wg -V\` prints the version. Bad input prints one \`wg: …\` line and exits nonzero,
changing nothing. What this app does differently from upstream's \`wg\`, and what it leaves out, is in
[upstream.md](upstream.md).
`;

function visible(command: Command): boolean {
  return !(command as unknown as { _hidden?: boolean })._hidden;
}

/** `wg model add <name> [options]`. */
function usage(path: string[], command: Command): string {
  const args = command.registeredArguments.map((argument: Argument) => {
    const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
    return argument.required ? `<${name}>` : `[${name}]`;
  });
  const options = command.options.some((option) => !option.hidden) ? ['[options]'] : [];
  return ['wg', ...path, ...args, ...options].join(' ');
}

/** One cell of a Markdown table: no pipe or newline may break it. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
}

function optionRow(option: Option): string {
  const choices = option.argChoices ? ` (one of: ${option.argChoices.join(', ')})` : '';
  return `| \`${cell(option.flags)}\` | ${cell(`${option.description}${choices}`)} |`;
}

function section(level: string, path: string[], command: Command): string[] {
  const lines = [`${level} wg ${path.join(' ')}`, '', cell(command.description()), '', '```text', usage(path, command), '```', ''];
  const args = command.registeredArguments.filter((argument) => argument.description);
  const options = command.options.filter((option) => !option.hidden);
  if (args.length > 0 || options.length > 0) {
    lines.push('| argument or option | what it is |', '| --- | --- |');
    for (const argument of args) lines.push(`| \`${argument.name()}\` | ${cell(argument.description)} |`);
    for (const option of options) lines.push(optionRow(option));
    lines.push('');
  }
  return lines;
}

const runnable = (command: Command) => (command as unknown as { _actionHandler?: unknown })._actionHandler !== null;

/** A command group (`wg model`) as a section of its own, each command under it (`wg model add`) a section below it. */
function group(command: Command): string[] {
  const children = command.commands.filter(visible);
  if (children.length === 0) return section('##', [command.name()], command);
  const lines = [`## wg ${command.name()}`, '', cell(command.description()), ''];
  // A group that runs itself too (`wg archive [ids...]`): its usage, arguments and options, as a command's.
  if (runnable(command)) lines.push(...section('##', [command.name()], command).slice(4));
  const walk = (parent: Command, path: string[]) => {
    for (const child of parent.commands.filter(visible)) {
      const at = [...path, child.name()];
      if (runnable(child)) lines.push(...section('###', at, child));
      walk(child, at);
    }
  };
  walk(command, [command.name()]);
  return lines;
}

/** The table is only read here, never run: nothing it would print goes anywhere. */
const QUIET: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: () => '', exitCode: 0 };

export async function commandReference(): Promise<string> {
  const groups = (await buildProgram(QUIET)).commands.filter(visible);
  const lines = [HEADER, groups.map((command) => `[${command.name()}](#wg-${command.name()})`).join(' · '), ''];
  for (const command of groups) lines.push(...group(command));
  return `${lines.join('\n').trimEnd()}\n`;
}
