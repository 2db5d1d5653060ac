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
  /** Repeatable list flags whose values are taken whole (free text may hold commas). */
  whole?: readonly K[];
  /** List flags whose each value is split into arguments as a shell would (`--args '--model {model} {task_id}'`). */
  shellWords?: readonly K[];
  /** The positional argument names a file whose text fills this field. */
  readsFile?: K;
  /** A `--out FILE` option writes the (string) result there instead of stdout. */
  writesFile?: boolean;
  /** The result has `ok`; printed for people, one that is not ok exits 1 (as upstream's `wg check` does). */
  failsWhenNotOk?: boolean;
  /** A `--stdin` switch fills this field with standard input (its trailing newlines dropped), as upstream's `msg send --stdin`. */
  stdin?: K;
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
   * the database is, reading only (`wg evaluate run --dry-run` builds the evaluator's prompt).
   */
  readsOnlyWhen?: (input: unknown) => boolean;
  /** Phantom: carries the result type for inference only. */
  readonly __output?: O;
}

type FieldOf<I extends z.ZodType> = Extract<keyof z.input<I>, string>;

/** Whether an operation, with this input, is run where the database is (every `store` one, and a `service` one that reads only then). */
export function runsOnStore(def: Pick<OpDef, 'scope' | 'readsOnlyWhen'>, input: unknown): boolean {
  return def.scope === 'store' || def.readsOnlyWhen?.(input) === true;
}

/**
 * `op({...}).returns<T>()` ties the result type to the definition without a runtime value. The input
 * schema is given as a function and built the first time it is read: building every operation's zod
 * schema cost each `wg` start about 12 ms of CPU (issue 30), for the one operation a command runs.
 */
export function op<I extends z.ZodType>(def: {
  kind: OpKind;
  scope: OpScope;
  summary: string;
  input: () => I;
  cli?: CliSpec<FieldOf<I>>;
  readsOnlyWhen?: (input: unknown) => boolean;
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
