import { readFileSync, writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { ops, type OpName } from '../shared/ops/registry';
import type { CliSpec } from '../shared/ops/define';
import { invalid } from '../shared/errors';
import { firstProblem } from '../shared/ops/plain-errors';
import { collect, flagKind, isRequired, kebab, objectShape, pairsToRecord } from './flags';
import { shellWords } from './shell-words';
import { currentTerminal } from './terminal';
import { jsonView } from './json-view';
import { runOp, type GlobalOptions } from './run-op';
import { jsonText, withoutControls } from '../core/text/plain-text';

/** What a command group is, where `<word> commands` would not say it (`wg agent` is identities, `wg agents` runs). */
const GROUP_SUMMARIES: Readonly<Record<string, string>> = {
  agent: 'Agent identities: a role and a tradeoff (not runs: see wg agents)',
  msg:
    "Messages to and from tasks and their agents (upstream's wg msg); in a folder upstream's wg uses (it has graph.jsonl), " +
    "they are also upstream's messages/<task>.jsonl, one set of messages for both tools",
};

/** Finds or creates the command for `words` (`model add` → `model` › `add`). */

function commandAt(program: Command, words: string[]): Command {
  let parent = program;
  for (const [index, word] of words.entries()) {
    const existing = parent.commands.find((c) => c.name() === word);
    if (existing) {
      parent = existing;
      continue;
    }
    const created = parent.command(word);
    if (index < words.length - 1) created.description(GROUP_SUMMARIES[word] ?? `${word} commands`);
    parent = created;
  }
  return parent;
}

/**
 * Registers one command per operation that has a CLI spec; arguments and flags come from the zod schema.
 * Given the command word of this run, only the operations under it (`model` → `model add`, `model list`…),
 * unless none is (a typo, `help`): then every one, so commander's help and errors see the whole table.
 */
export function registerOpCommands(program: Command, globals: () => GlobalOptions, word?: string): void {
  const withCli = (Object.keys(ops) as OpName[]).filter((name) => ops[name].cli !== undefined);
  const under = withCli.filter((name) => ops[name].cli?.command.split(' ')[0] === word);
  for (const name of under.length > 0 ? under : withCli) {
    const def = ops[name];
    const spec = def.cli as CliSpec;
    const shape = objectShape(def.input);
    const command = commandAt(program, spec.command.split(' ')).description(def.summary);
    const positional = new Set<string>(spec.args ?? []);
    for (const field of spec.args ?? []) {
      const schema = shape[field] as z.ZodType;
      // A list field takes every remaining argument (`wg viz a b`).
      const label = `${spec.readsFile === field ? 'file' : kebab(field)}${flagKind(schema).kind === 'list' ? '...' : ''}`;
      command.argument(isRequired(schema) ? `<${label}>` : `[${label}]`, schema.description ?? '');
    }
    const flagToField = new Map<string, string>();
    /** Options the input cannot go without: a missing one is named by its flag (`--reason`), not its field. */
    const requiredFlags: Array<[field: string, flag: string]> = [];
    for (const [field, schema] of Object.entries(shape)) {
      if (positional.has(field)) continue;
      const flag = (spec.flags as Record<string, string> | undefined)?.[field] ?? kebab(field);
      const short = (spec.short as Record<string, string> | undefined)?.[field];
      const kind = flagKind(schema);
      const takes = kind.kind === 'switch' ? '' : kind.kind === 'pairs' ? ' <name=value>' : ' <value>';
      const option = new Option(`${short ? `-${short}, ` : ''}--${flag}${takes}`, schema.description ?? '');
      if (kind.kind === 'choice') option.choices(kind.choices);
      const whole = [...(spec.whole ?? []), ...(spec.shellWords ?? [])].includes(field);
      if (kind.kind === 'list' || kind.kind === 'pairs') option.argParser(collect(kind.kind === 'list' && !whole));
      command.addOption(option);
      flagToField.set(option.attributeName(), field);
      if (isRequired(schema) && kind.kind !== 'switch') requiredFlags.push([field, flag]);
    }
    if (spec.writesFile) command.option('--out <file>', 'write to this file instead of standard output');
    if (spec.stdin) command.option('--stdin', `read the ${kebab(spec.stdin)} from standard input`);
    command.action(async (...received: unknown[]) => {
      // commander passes the positionals, then the options object, then the command.
      const options = received[(spec.args ?? []).length] as Record<string, unknown>;
      const input: Record<string, unknown> = {};
      (spec.args ?? []).forEach((field, index) => {
        const value = received[index];
        if (value === undefined) return;
        if (Array.isArray(value) && value.length === 0) return;
        input[field] = spec.readsFile === field ? readInputFile(String(value)) : value;
      });
      for (const [attribute, value] of Object.entries(options)) {
        const field = flagToField.get(attribute);
        if (!field || value === undefined) continue;
        if (flagKind(shape[field] as z.ZodType).kind === 'pairs') input[field] = pairsToRecord(value as string[], attribute);
        else if (spec.shellWords?.includes(field)) input[field] = (value as string[]).flatMap((text) => shellWords(text, kebab(attribute)));
        else input[field] = value;
      }
      if (spec.stdin && options.stdin === true) input[spec.stdin] = readFileSync(0, 'utf8').replace(/\s+$/, '');
      for (const [field, flag] of requiredFlags) {
        if (input[field] !== undefined) continue;
        // The schema's own sentence where it has one ("a role needs a desired outcome (--outcome)"), else the flag.
        const missing = (shape[field] as z.ZodType).safeParse(undefined, { error: () => `--${flag} is required` });
        if (!missing.success) throw invalid(firstProblem(missing.error));
      }
      const result = await runOp(name, input, globals());
      if (spec.writesFile && typeof options.out === 'string') {
        writeFileSync(options.out, String(result));
        return;
      }
      // The formatters of every command are one module, loaded only to print for a person.
      const text = globals().json
        ? jsonText(jsonView(name, result), 2)
        : (await import('./format-result')).formatResult(name, withoutControls(result), currentTerminal(), input);
      process.stdout.write(`${text}\n`);
      // Upstream's `wg check` prints its report, then fails when the graph has errors (not with --json).
      if (spec.failsWhenNotOk && !globals().json && isNotOk(result)) process.exitCode = 1;
      if (spec.emptyExits !== undefined && Array.isArray(result) && result.length === 0) process.exitCode = spec.emptyExits;
    });
  }
}

function isNotOk(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'ok' in result && result.ok === false;
}

function readInputFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}
