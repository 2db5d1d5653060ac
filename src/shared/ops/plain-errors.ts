import type { z } from 'zod';
import { oneLine } from '../errors';

/**
 * Bad input is told in plain language, one line, the same from the CLI, HTTP, IPC and the window:
 * zod's own wording ("Invalid input: expected number, received NaN") never reaches a person. Used
 * as the error map of every parse of user input (`schema.safeParse(value, PLAIN)`); messages a schema
 * states itself (`.min(1, 'title is empty')`) take precedence and are written as full sentences.
 */

type Issue = z.core.$ZodRawIssue;

/** `maxAgents` → `max-agents` (as its flag), nested paths joined with dots. */
export function fieldLabel(path: readonly PropertyKey[] | undefined): string {
  if (!path || path.length === 0) return 'the input';
  return path
    .map((part) => (typeof part === 'number' ? `item ${part + 1}` : String(part).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)))
    .join('.');
}

const KIND: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  array: 'a list',
  object: 'a table of values',
  bigint: 'a whole number',
  date: 'a date',
};

function shown(value: unknown): string {
  if (typeof value === 'number' && Number.isNaN(value)) return '';
  if (value === undefined || value === null) return '';
  // JSON has no Infinity (it would read 'null'): a number is shown as it is.
  const text = typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  return ` (got '${text.length > 40 ? `${text.slice(0, 40)}…` : text}')`;
}

function bound(issue: Issue & { origin?: string; inclusive?: boolean }, limit: unknown, word: 'least' | 'most'): string {
  const n = Number(limit);
  switch (issue.origin) {
    case 'string':
      if (word === 'least' && n === 1) return 'is empty';
      return `must be at ${word} ${String(limit)} characters long`;
    case 'array':
    case 'set':
      return `must have at ${word} ${String(limit)} item${n === 1 ? '' : 's'}`;
    default:
      if (issue.inclusive === false) return `must be ${word === 'least' ? 'more' : 'less'} than ${String(limit)}`;
      return `must be at ${word} ${String(limit)}`;
  }
}

/** Whether the schema that raised the issue takes whole numbers only (`z.number().int()`). */
function wholeNumber(issue: Issue): boolean {
  type Def = { format?: unknown; checks?: Array<{ _zod?: { def?: Def } }> };
  const def = (issue.inst as { _zod?: { def?: Def } } | undefined)?._zod?.def;
  return (def?.checks ?? []).some((check) => String(check._zod?.def?.format ?? '').includes('int'));
}

/** The sentence for one issue, naming the field. */
function plainIssue(issue: Issue): string {
  const field = fieldLabel(issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return `${field} is required`;
      const expected = (wholeNumber(issue) ? KIND.int : KIND[String(issue.expected)]) ?? String(issue.expected);
      return `${field} must be ${expected}${shown(issue.input)}`;
    }
    case 'too_small':
      return `${field} ${bound(issue, issue.minimum, 'least')}`;
    case 'too_big':
      return `${field} ${bound(issue, issue.maximum, 'most')}`;
    case 'invalid_format':
      if (issue.format === 'url') return `${field} must be a web address (http://… or https://…)${shown(issue.input)}`;
      return `${field} is not in the expected form${shown(issue.input)}`;
    case 'invalid_value':
      return `${field} must be one of: ${issue.values.map(String).join(', ')}${shown(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${issue.keys.join(', ')}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${String(issue.divisor)}`;
    default:
      return `${field} is not valid${shown(issue.input)}`;
  }
}

/** Parse options that put every default message in plain language. */
export const PLAIN = { error: (issue: Issue) => plainIssue(issue) } as const;

/** The first problem of a failed parse, as one line. */
export function firstProblem(error: z.ZodError): string {
  return oneLine(error.issues[0]?.message ?? 'the input is not valid');
}
