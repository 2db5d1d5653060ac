import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram, commandWord } from '../../src/cli/program';
import type { CliIo } from '../../src/cli/cli-io';
import { TempProject } from '../helpers/wg-cli';

/*
 * A `wg` start builds only the commands under the word it was given (and so only their schemas); help
 * and a mistyped command still see the whole table.
 */
describe('the command table a wg start builds', () => {
  it('finds the command word after the global options', () => {
    expect(commandWord(['show', 't1'])).toBe('show');
    expect(commandWord(['--dir', '/x', '--json', 'model', 'add', 'm'])).toBe('model');
    expect(commandWord(['--json', '--dir=/x', 'list'])).toBe('list');
    expect(commandWord(['--help'])).toBeUndefined();
    expect(commandWord([])).toBeUndefined();
  });

  const QUIET: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, readStdin: () => '', exitCode: 0 };
  /** A command as help shows it: its name, aliases, arguments and flags, and its subcommands'. */
  const outline = (command: Command): unknown => ({
    name: command.name(),
    aliases: command.aliases(),
    arguments: command.registeredArguments.map((argument) => argument.name()),
    flags: command.options.map((option) => option.flags),
    commands: command.commands.map(outline),
  });

  it('builds each command whole when given its word, as the whole table has it (COMMAND_MODULES names its words)', async () => {
    const whole = await buildProgram(QUIET);
    expect(whole.commands.length).toBeGreaterThan(50);
    for (const command of whole.commands) {
      const built = await buildProgram(QUIET, command.name());
      expect(
        built.commands.map(outline).find((c) => (c as { name: string }).name === command.name()),
        command.name(),
      ).toEqual(outline(command));
    }
  });

  it("builds only a command module's own commands for its word: `wg init` builds no operation", async () => {
    // A word of a module and of no operation built the whole table (every operation's schema, 4.6-7.6 ms a start,
    // paid by every test project's `wg init`).
    expect((await buildProgram(QUIET, 'init')).commands.map((command) => command.name())).toEqual(['init']);
    expect((await buildProgram(QUIET, 'which')).commands.map((command) => command.name())).toEqual(['which']);
    expect((await buildProgram(QUIET, 'exec')).commands.map((command) => command.name())).toEqual(
      expect.arrayContaining(['exec', 'quickstart']),
    );
    expect((await buildProgram(QUIET, 'exec')).commands.length).toBeLessThan(6);
  });

  const p = new TempProject();
  beforeAll(async () => {
    await p.ok(['init']);
  });
  afterAll(() => p.remove());

  it('runs a command named after global options, and a subcommand of a word', async () => {
    await p.ok(['add', 'First']);
    expect(await p.ok(['--dir', p.root, '--json', 'show', 'first'])).toContain('"id": "first"');
    expect(await p.ok(['model', 'list'])).toContain('sonnet');
  });

  it('help lists every command, and a mistyped one is refused as unknown', async () => {
    const help = await p.ok(['--help']);
    for (const word of ['add', 'show', 'model', 'service', 'agentd', 'msg', 'why-blocked'])
      expect(help).toMatch(new RegExp(`\\n  ${word}\\b`));
    const typo = await p.wg(['shwo', 'first']);
    expect(typo.exitCode).not.toBe(0);
    expect(typo.stderr).toContain("unknown command 'shwo'");
  });
});
