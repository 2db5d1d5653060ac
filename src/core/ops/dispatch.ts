import { domainOf, ops, type OpName, type OpOutput, type OpParsed } from '../../shared/ops/registry';
import { runsOnStore } from '../../shared/ops/define';
import { invalid, WgError } from '../../shared/errors';
import { firstProblem, PLAIN } from '../../shared/ops/plain-errors';
import { nestedTooDeeply, TOO_DEEP } from '../../shared/json-depth';
import { NUL_HELD, nulAt } from '../../shared/nul-text';
import type { Handler, OpContext } from './context';
import { handlerModules } from './handlers';
import { checkRunAuthority } from './run-authority';
import { checkPersonAuthority } from './person-authority';
import { damagedDatabase, isDamageError } from '../store/db-file';

export function isOpName(name: string): name is OpName {
  return Object.hasOwn(ops, name);
}

/** Validates input with the op's schema; the first problem becomes one readable line. */
export function parseInput<N extends OpName>(name: N, input: unknown): OpParsed<N> {
  // Validation recurses per level: refuse what would overflow it before it starts.
  if (nestedTooDeeply(input)) throw invalid(`input ${TOO_DEEP}`);
  // Refused on every store alike, before anything is written: PostgreSQL cannot store it, and SQLite would hold what a copy cannot.
  const nul = nulAt(input);
  if (nul !== null) throw invalid(`${nul} ${NUL_HELD}`);
  const schema = ops[name].input;
  // A field the operation does not take (a misspelled `titel`) is refused rather than dropped, which would read as done.
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    const unknown = Object.entries(input).filter(([key, value]) => value !== undefined && !Object.hasOwn(schema.shape, key));
    if (unknown.length > 0) throw invalid(`unknown field${unknown.length === 1 ? '' : 's'}: ${unknown.map(([key]) => key).join(', ')}`);
  }
  const result = schema.safeParse(input ?? {}, PLAIN);
  if (!result.success) throw invalid(firstProblem(result.error));
  return result.data as OpParsed<N>;
}

/** The one entry point every face (CLI, HTTP, IPC) uses to run an operation. */
export async function dispatch<N extends OpName>(name: N, input: unknown, ctx: OpContext): Promise<OpOutput<N>> {
  const parsed = parseInput(name, input);
  if (!runsOnStore(ops[name], parsed) && !ctx.service) {
    throw new WgError('unavailable', "the coordinator is not running (start it with 'wg service start')");
  }
  await checkRunAuthority(name, parsed, ctx);
  checkPersonAuthority(name, parsed, ctx);
  const handlers = (await handlerModules[domainOf(name)]()) as Record<OpName, unknown>;
  const handler = handlers[name] as Handler<N>;
  const commits = ctx.store.core.commits;
  try {
    return await handler(parsed, ctx);
  } catch (error) {
    // A broken page met on the way (SQLite checks each page it reads): the one line, and no later
    // opening uses the file (db-damage.ts), so nothing writes on into it. Met after the operation's
    // own commit (reading back what it wrote), the line says the change was saved.
    if (isDamageError(error)) {
      throw damagedDatabase(ctx.paths.db, undefined, ctx.paths.untrusted === undefined, ctx.store.core.commits > commits);
    }
    throw error;
  }
}
