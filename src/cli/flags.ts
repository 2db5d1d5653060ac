import { type Command, InvalidArgumentError, type Option } from 'commander';
import { shownValue } from '../core/text/plain-text';
import { z } from 'zod';

/** How one input field is typed on the command line, derived from its zod schema. */
export type FlagKind =
  | { kind: 'switch' }
  | { kind: 'value' }
  | { kind: 'list' } // repeatable, and comma separated: --after a,b --after c
  | { kind: 'pairs' } // repeatable key=value: --dim correctness=0.9
  | { kind: 'choice'; choices: string[] };

/** Strips optional/default/nullable wrappers to the schema that says what the value is. */
function core(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodDefault) current = current.removeDefault() as z.ZodType;
    // A value made over (`z.preprocess(…, z.array(…))`) is typed by what it becomes; a transform by what it takes.
    else if (current instanceof z.ZodPipe) current = (current.out instanceof z.ZodTransform ? current.in : current.out) as z.ZodType;
    else return current;
  }
}

export function flagKind(schema: z.ZodType): FlagKind {
  const inner = core(schema);
  if (inner instanceof z.ZodBoolean) return { kind: 'switch' };
  if (inner instanceof z.ZodArray) return { kind: 'list' };
  if (inner instanceof z.ZodRecord) return { kind: 'pairs' };
  if (inner instanceof z.ZodEnum) return { kind: 'choice', choices: inner.options.map(String) };
  return { kind: 'value' };
}

export function isRequired(schema: z.ZodType): boolean {
  return !schema.safeParse(undefined).success;
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  if (schema instanceof z.ZodObject) return schema.shape as Record<string, z.ZodType>;
  return {};
}

export const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Collects repeated flags; with `split`, each value is also split on commas (`--after a,b`). A value that names
 * nothing (`--roles ''`, `--after ,`) is refused: dropped, it read as the flag not given (a token for any role).
 */
export function collect(split: boolean) {
  return (value: string, previous: string[] | undefined): string[] => {
    const items = split
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [value];
    if (items.length === 0) throw new InvalidArgumentError('it names nothing: give at least one value, or leave the flag out');
    return [...(previous ?? []), ...items];
  };
}

/** `a=1`, `b=2` → { a: "1", b: "2" }; the schema coerces the values. */
export function pairsToRecord(pairs: readonly string[], flag: string): Record<string, string> {
  const record: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--${flag} takes name=value, got '${pair}'`);
    record[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return record;
}

/**
 * A flag of one value given twice with two values (`--id a --id b`, or `--description x --desc y`) is refused, as
 * upstream's clap refuses a repeated flag ("cannot be used multiple times"): commander kept the last value without a
 * word, so one of the two the person typed was dropped. The same value twice drops nothing and is taken (upstream's
 * `wg config --model M --coordinator-model M` names one setting here). Returns what makes an option (the flag, and
 * each of its other names) one of those.
 */
export function givenOnce(command: Command, flag: string): (option: Option) => void {
  let first: string | undefined;
  return (option) => {
    ONCE.add(option);
    const parse = option.parseArg;
    option.argParser((value: string, previous: unknown) => {
      if (first !== undefined && value !== first)
        command.error(`error: --${flag} is given twice (${shownValue(first)}, then ${shownValue(value)}): give it once`);
      first = value;
      return parse ? parse(value, previous) : value;
    });
  };
}

/** Options already taken once (an operation's flag and its other names share one). */
const ONCE = new WeakSet<Option>();

/**
 * The same for every other option of one value, on every command (`wg service start --port 1 --port 2`, the global
 * `--dir`): each on its own, as none of them has another name.
 */
export function everyValueGivenOnce(command: Command): void {
  for (const option of command.options) {
    const takesValue = option.required || option.optional;
    // A repeatable flag collects with its own parser; commander's own check of choices is kept inside givenOnce.
    if (!takesValue || option.variadic || ONCE.has(option) || (option.parseArg && !option.argChoices)) continue;
    givenOnce(command, option.long?.replace(/^--/, '') ?? option.attributeName())(option);
  }
  for (const sub of command.commands) everyValueGivenOnce(sub);
}
