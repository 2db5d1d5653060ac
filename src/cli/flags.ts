import { InvalidArgumentError } from 'commander';
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
