import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { z } from 'zod';
import { ops, type OpName } from '../shared/ops/registry';
import type { CliSpec } from '../shared/ops/define';
import { invalid } from '../shared/errors';
import { firstProblem } from '../shared/ops/plain-errors';
import { collect, flagKind, givenOnce, isRequired, kebab, objectShape, pairsToRecord } from './flags';
import { shellWords } from './shell-words';
import { currentTerminal } from './terminal';
import { jsonView } from './json-view';
import { runOp, type GlobalOptions } from './run-op';
import type { CliIo } from './cli-io';
import { jsonText, withoutControls } from '../core/text/plain-text';
import { whyUnreadable } from '../shared/plain-failure';
import { writeOutFile } from './out-file';

/** What a command group is, where `<word> commands` would not say it (`wg agent` is identities, `wg agents` runs). */
export const GROUP_SUMMARIES: Readonly<Record<string, string>> = {
  agent: 'Agent identities: a role and a tradeoff (not runs: see wg agents)',
  msg:
    "Messages to and from tasks and their agents (upstream's wg msg); in a folder upstream's wg uses (it has graph.jsonl), " +
    "they are also upstream's messages/<task>.jsonl, one set of messages for both tools",
  trace: 'Trace commands: execution history, export, import',
  runs: "Graph snapshots (upstream's run snapshots: list, show, restore, diff); not agent runs: see wg agents",
  // Upstream's own words where it has the group.
  model: 'Model registry and routing management',
  evaluate: 'Evaluate tasks: auto-evaluate, record external scores, view history',
  worktree: 'Manage agent worktrees (list, archive, inspect)',
  agency: 'Manage the agency (roles + tradeoffs)',
  role: 'Manage agency roles (what an agent does)',
  tradeoff: 'Manage agency tradeoffs (acceptable/unacceptable constraints)',
  func: 'Function management: extract, apply, list, show',
  executor: 'Executor profiles: how tasks run (a type such as claude, codex, shell or http, and its settings)',
  token: 'Tokens for agent daemons (wg agentd) and for people reaching this coordinator from another machine',
  store: "Where the project's graph is kept (SQLite here, or a team's PostgreSQL database)",
  service: 'Manage the coordinator daemon (upstream: the agent service)',
  // Upstream's own words.
  endpoints: 'Manage LLM endpoints (add, remove, list, test)',
  key: 'Manage API keys for LLM providers',
};

/** Upstream's other names of a command group (its hidden clap alias `wg endpoint` of `wg endpoints`). */
const GROUP_ALIASES: Readonly<Record<string, string>> = { endpoints: 'endpoint' };

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
    if (index === 0 && GROUP_ALIASES[word]) created.alias(GROUP_ALIASES[word]);
    parent = created;
  }
  return parent;
}

/** Every operation that has a command. */
export function opsWithCli(): OpName[] {
  return (Object.keys(ops) as OpName[]).filter((name) => ops[name].cli !== undefined);
}

/** The operations whose command starts with `word` (or the group it is another name of). */
export function opsUnder(word: string): OpName[] {
  const group = Object.entries(GROUP_ALIASES).find(([, alias]) => alias === word)?.[0] ?? word;
  return opsWithCli().filter((name) => ops[name].cli?.command.split(' ')[0] === group);
}

/** Registers one command for each of `names` (operations that have a CLI spec); arguments and flags come from the zod schema. */
export function registerOpCommands(program: Command, globals: () => GlobalOptions, io: CliIo, names: readonly OpName[]): void {
  for (const name of names) {
    const def = ops[name];
    const spec = def.cli as CliSpec;
    const shape = objectShape(def.input);
    const command = commandAt(program, spec.command.split(' ')).description(def.summary);
    if (spec.alias) command.alias(spec.alias);
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
      if (positional.has(field) || field === spec.readsFileName) continue;
      const flag = (spec.flags as Record<string, string> | undefined)?.[field] ?? kebab(field);
      const short = (spec.short as Record<string, string> | undefined)?.[field];
      const kind = flagKind(schema);
      const takes = kind.kind === 'switch' ? '' : kind.kind === 'pairs' ? ' <name=value>' : ' <value>';
      const option = plainOption(`${short ? `-${short}, ` : ''}--${flag}${takes}`, schema.description ?? '');
      if (kind.kind === 'choice') option.choices(kind.choices);
      const whole = [...(spec.whole ?? []), ...(spec.shellWords ?? [])].includes(field);
      if (kind.kind === 'list' || kind.kind === 'pairs') option.argParser(collect(kind.kind === 'list' && !whole));
      const once = kind.kind === 'value' || kind.kind === 'choice' ? givenOnce(command, flag) : null;
      once?.(option);
      if ((spec.hidden as readonly string[] | undefined)?.includes(field)) option.hideHelp();
      command.addOption(option);
      flagToField.set(option.attributeName(), field);
      // Upstream's other names of the flag (clap aliases: --desc, --blocked-by): the same field, not shown in help.
      for (const alias of (spec.aliases as Record<string, readonly string[]> | undefined)?.[field] ?? []) {
        const other = plainOption(`--${alias}${takes}`).hideHelp();
        if (kind.kind === 'choice') other.choices(kind.choices);
        if (kind.kind === 'list' || kind.kind === 'pairs') other.argParser(collect(kind.kind === 'list' && !whole));
        once?.(other);
        command.addOption(other);
        flagToField.set(other.attributeName(), field);
      }
      if (isRequired(schema) && kind.kind !== 'switch') requiredFlags.push([field, flag]);
    }
    const writes = spec.writesFile === true ? { flag: 'out', short: undefined } : spec.writesFile || null;
    if (writes)
      command.addOption(
        new Option(`${writes.short ? `-${writes.short}, ` : ''}--${writes.flag} <file>`, 'write to this file instead of standard output'),
      );
    if (spec.jsonShort) command.option(`-${spec.jsonShort}, --json`, 'print machine-readable JSON');
    const stdinFlag = spec.stdinFlag ?? 'stdin';
    if (spec.stdin) command.option(`--${stdinFlag}`, `read the ${kebab(spec.stdin)} from standard input`);
    command.action(async (...received: unknown[]) => {
      // commander passes the positionals, then the options object, then the command.
      const options = received[(spec.args ?? []).length] as Record<string, unknown>;
      const input: Record<string, unknown> = {};
      (spec.args ?? []).forEach((field, index) => {
        const value = received[index];
        if (value === undefined) return;
        if (Array.isArray(value) && value.length === 0) return;
        input[field] = spec.readsFile === field ? readInputFile(String(value)) : value;
        if (spec.readsFile === field && spec.readsFileName) input[spec.readsFileName] = String(value);
      });
      for (const [attribute, value] of Object.entries(options)) {
        const field = flagToField.get(attribute);
        if (!field || value === undefined) continue;
        let given: unknown = value;
        if (flagKind(shape[field] as z.ZodType).kind === 'pairs') given = pairsToRecord(value as string[], kebab(attribute));
        else if (spec.shellWords?.includes(field)) given = (value as string[]).flatMap((text) => shellWords(text, kebab(attribute)));
        // A list given under a flag and its alias (--after a --blocked-by b) is one list.
        const before = input[field];
        input[field] = Array.isArray(before) && Array.isArray(given) ? [...before, ...given] : given;
      }
      if (spec.stdin && options[new Option(`--${stdinFlag}`).attributeName()] === true) {
        // Both ways at once (`wg msg send t hello --stdin`) would keep one and drop the other without a word;
        // upstream's wg reads stdin then, by the shape of its code rather than a choice it states (no test, no
        // doc). Which one was meant cannot be told, so neither is taken, and stdin is left unread.
        if (input[spec.stdin] !== undefined) throw invalid(`give the ${kebab(spec.stdin)} as an argument or with --${stdinFlag}, not both`);
        input[spec.stdin] = io.readStdin().replace(/\s+$/, '');
      }
      for (const [field, flag] of requiredFlags) {
        if (input[field] !== undefined) continue;
        // The schema's own sentence where it has one ("a role needs a desired outcome (--outcome)"), else the flag.
        const missing = (shape[field] as z.ZodType).safeParse(undefined, { error: () => `--${flag} is required` });
        if (!missing.success) throw invalid(firstProblem(missing.error));
      }
      const result = await runOp(name, input, globals(), io);
      const outFile = writes ? options[new Option(`--${writes.flag} <file>`).attributeName()] : undefined;
      if (typeof outFile === 'string') {
        writeOutFile(outFile, typeof result === 'string' ? result : jsonText(result, 2), globals().dir);
        const note = (await import('./history-format')).writtenNote(name, result, outFile);
        if (note) io.stderr.write(`${note}\n`);
        return;
      }
      const json = globals().json || options.json === true;
      // The formatters of every command are one module, loaded only to print for a person.
      const text = json
        ? jsonText(jsonView(name, result), 2)
        : (await import('./format-result')).formatResult(name, withoutControls(result), currentTerminal(io.stdout), input);
      io.stdout.write(`${text}\n`);
      // Upstream's `wg check` prints its report, then fails when the graph has errors (not with --json); a result
      // refused as a whole (a bulk archive without --yes) says why on stderr, after its report.
      if (spec.failsWhenNotOk && !json && isNotOk(result)) {
        io.exitCode = 1;
        const refusal = refusalOf(result);
        if (refusal) io.stderr.write(`wg: ${refusal}\n`);
      }
      if (spec.emptyExits !== undefined && Array.isArray(result) && result.length === 0) io.exitCode = spec.emptyExits;
    });
  }
}

/**
 * An option as its name says: upstream's `--no-place`, `--no-abandon`, `--no-after` are switches of their own,
 * not commander's negation of `--place` (which would read as `place`, true unless given).
 */
function plainOption(flags: string, description?: string): Option {
  const option = new Option(flags, description);
  option.negate = false;
  return option;
}

function isNotOk(result: unknown): boolean {
  return typeof result === 'object' && result !== null && 'ok' in result && result.ok === false;
}

function refusalOf(result: unknown): string | null {
  return typeof result === 'object' && result !== null && 'refusal' in result && typeof result.refusal === 'string' ? result.refusal : null;
}

function readInputFile(path: string): string {
  // An empty name resolves to the folder the command runs in ("cannot read : no such file or folder").
  if (path.trim() === '') throw invalid('the file name is empty: give a file to read');
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw invalid(`cannot read ${path}: ${whyUnreadable(error)}`);
  }
}
