import { TASK_STATUSES, type TaskStatus } from './task';

/*
 * Upstream's `wg recover`: after a mass failure (credits ran out, a CLI was missing), the
 * failed tasks retried in one go, their failed system tasks abandoned so they are made again. Shapes shared by the
 * operation and its faces.
 */

type Comparison = '<' | '<=' | '=' | '>=' | '>';

/** One `--filter` clause; every clause must match. */
export type RecoverFilter =
  | { kind: 'status'; status: TaskStatus }
  | { kind: 'tag'; tag: string }
  | { kind: 'id-prefix'; prefix: string }
  | { kind: 'attempts'; cmp: Comparison; n: number }
  | { kind: 'error'; text: string };

/** Upstream's order: the two-character comparisons before their one-character prefixes. */
const ATTEMPTS: ReadonlyArray<[string, Comparison]> = [
  ['attempts<=', '<='],
  ['attempts>=', '>='],
  ['attempts==', '='],
  ['attempts<', '<'],
  ['attempts>', '>'],
  ['attempts=', '='],
];

/** A status by this app's name, or upstream's spelling without the hyphen (`inprogress`). */
function statusNamed(text: string): TaskStatus | null {
  const word = text.trim().toLowerCase();
  return TASK_STATUSES.find((status) => status === word || status.replaceAll('-', '') === word) ?? null;
}

/** One clause, or why it is not one. */
function parseClause(clause: string): RecoverFilter | string {
  const value = (prefix: string) => clause.slice(prefix.length).trim();
  if (clause.startsWith('status=')) {
    const status = statusNamed(value('status='));
    return status ? { kind: 'status', status } : `unknown status '${value('status=')}' in --filter (one of: ${TASK_STATUSES.join(', ')})`;
  }
  if (clause.startsWith('tag=')) return { kind: 'tag', tag: value('tag=') };
  if (clause.startsWith('id-prefix=')) return { kind: 'id-prefix', prefix: value('id-prefix=') };
  if (clause.startsWith('error~')) return { kind: 'error', text: value('error~') };
  for (const [prefix, cmp] of ATTEMPTS) {
    if (!clause.startsWith(prefix)) continue;
    const n = value(prefix);
    return /^\d+$/.test(n) ? { kind: 'attempts', cmp, n: Number(n) } : `'${clause}' in --filter needs a whole number of attempts`;
  }
  return `unknown --filter clause '${clause}' (expected status=X, tag=X, id-prefix=X, attempts<=N, error~X)`;
}

/**
 * The `--filter` arguments (each comma-separated clauses) as filters, upstream's way: `status=failed` unless a clause
 * names a status. A string: the first clause that is not one, in a sentence.
 */
export function parseRecoverFilters(raw: readonly string[]): RecoverFilter[] | string {
  let filters: RecoverFilter[] = [{ kind: 'status', status: 'failed' }];
  for (const argument of raw) {
    for (const clause of argument.split(',').map((part) => part.trim())) {
      if (clause === '') continue;
      const filter = parseClause(clause);
      if (typeof filter === 'string') return filter;
      if (filter.kind === 'status') filters = filters.filter((f) => f.kind !== 'status');
      filters.push(filter);
    }
  }
  return filters;
}

/** A task in the plan: what its attempt will be, and the model it is moved to. */
export interface RecoverEntry {
  id: string;
  attempt_after: number;
  model_change: string | null;
}

/** What `wg recover` would do (or did, `applied`). */
export interface RecoverReport {
  applied: boolean;
  /** Tasks the filters matched. */
  matching: number;
  /** Tasks opened again. */
  user_retries: RecoverEntry[];
  /** Failed system tasks abandoned, so that the coordinator makes them again for the retried task. */
  agency_abandons: RecoverEntry[];
  /** Tasks that made --max-attempts attempts already. */
  skipped: RecoverEntry[];
  max_attempts: number;
  keep_agency: boolean;
}
