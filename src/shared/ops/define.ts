import type { z } from 'zod';
import { builtOnce } from '../built-once';

/** `store` operations run wherever the database is; `service` ones need the running coordinator. */
export type OpScope = 'store' | 'service';
export type OpKind = 'query' | 'mutation';

/** How an operation appears on the `wg` command line. Flags are derived from the input schema. */
export interface CliSpec<K extends string = string> {
  /** Words after `wg`, e.g. `add` or `model add`. */
  command: string;
  /** Input fields taken positionally, in order. */
  args?: readonly K[];
  /** Flag name overrides (field -> flag without dashes), e.g. tags -> tag. */
  flags?: Partial<Record<K, string>>;
  /** One-letter aliases (field -> letter). */
  short?: Partial<Record<K, string>>;
  /** Other names of a flag, as upstream's clap aliases (field -> names without dashes): accepted, not listed in help. */
  aliases?: Partial<Record<K, readonly string[]>>;
  /** Flags accepted but not listed in help (upstream's deprecated ones it hides: `wg add --validation`). */
  hidden?: readonly K[];
  /** Another name of the command, as upstream's clap alias (`add-after` for `add-dep`). */
  alias?: string;
  /** Repeatable list flags whose values are taken whole (free text may hold commas). */
  whole?: readonly K[];
  /** List flags whose each value is split into arguments as a shell would (`--args '--model {model} {task_id}'`). */
  shellWords?: readonly K[];
  /** The positional argument names a file whose text fills this field. */
  readsFile?: K;
  /** A `--out FILE` option (or the flag named here) writes the result there instead of stdout (an object as JSON). */
  writesFile?: boolean | { flag: string; short?: string };
  /** The path of the file `readsFile` reads fills this field too (upstream's default source tag is its name). */
  readsFileName?: K;
  /** The command also takes upstream's own `-<letter>, --json` after its name (`wg spend -j`). */
  jsonShort?: string;
  /** The result has `ok`; printed for people, one that is not ok exits 1 (as upstream's `wg check` does). */
  failsWhenNotOk?: boolean;
  /** A `--stdin` switch fills this field with standard input (its trailing newlines dropped), as upstream's `msg send --stdin`. */
  stdin?: K;
  /** The name of that switch when it is not `--stdin` (upstream's `wg secret set --from-stdin`). */
  stdinFlag?: string;
  /** An empty list result prints as usual, then exits with this code (upstream's `msg poll`: 1 when nothing is new). */
  emptyExits?: number;
}

export interface OpDef<I extends z.ZodType = z.ZodType, O = unknown> {
  kind: OpKind;
  scope: OpScope;
  summary: string;
  /** Built on first use: a `wg` start builds only the schema of the one operation it runs. */
  readonly input: I;
  cli?: CliSpec;
  /**
   * A `service` operation that, for this input, needs no running coordinator and is run right where
   * the database is, reading only (`wg evaluate run --dry-run` builds the evaluator's prompt); a
   * `store` one that, for this input, changes nothing (`wg gc --dry-run`, `wg archive --list`), so it
   * reads a project that cannot be written too.
   */
  readsOnlyWhen?: (input: unknown) => boolean;
  /**
   * A `service` operation whose answer comes once work is done (a chat answer): how long, for this input, a caller
   * waits for it before it says the coordinator did not answer (absent: the usual wait).
   */
  answerWithinMs?: (input: unknown) => number;
  /** Phantom: carries the result type for inference only. */
  readonly __output?: O;
}

type FieldOf<I extends z.ZodType> = Extract<keyof z.input<I>, string>;

/** The input's flag `name` is true, whatever the input is (readsOnlyWhen sees it before validation). */
export function inputFlag(input: unknown, name: string): boolean {
  return typeof input === 'object' && input !== null && (input as Record<string, unknown>)[name] === true;
}

/** The input gives nothing but these fields (each other one absent): a command asked only to show. */
export function givesOnly(input: unknown, names: readonly string[]): boolean {
  if (typeof input !== 'object' || input === null) return true;
  return Object.entries(input).every(([key, value]) => value === undefined || names.includes(key));
}

/** Whether an operation, with this input, is run where the database is (every `store` one, and a `service` one that reads only then). */
export function runsOnStore(def: Pick<OpDef, 'scope' | 'readsOnlyWhen'>, input: unknown): boolean {
  return def.scope === 'store' || def.readsOnlyWhen?.(input) === true;
}

/**
 * `op({...}).returns<T>()` ties the result type to the definition without a runtime value. The input
 * schema is given as a function and built the first time it is read: building every operation's zod
 * schema on every `wg` start was a cost a person feels, for the one operation a command runs.
 */
export function op<I extends z.ZodType>(def: {
  kind: OpKind;
  scope: OpScope;
  summary: string;
  input: () => I;
  cli?: CliSpec<FieldOf<I>>;
  readsOnlyWhen?: (input: unknown) => boolean;
  answerWithinMs?: (input: unknown) => number;
}): { returns<O>(): OpDef<I, O> } {
  const { input, ...rest } = def;
  const schema = builtOnce(input);
  const defined: OpDef<I> = {
    ...rest,
    get input(): I {
      return schema();
    },
  };
  return { returns: <O>() => defined as OpDef<I, O> };
}
