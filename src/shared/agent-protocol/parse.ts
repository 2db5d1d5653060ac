import type { z } from 'zod';
import { coordinatorMessage, type CoordinatorMessage } from './coordinator-messages';
import { daemonMessage, type DaemonMessage } from './daemon-messages';

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

/** One line saying what is wrong with a message, in plain words (never a library's dump). */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  // A discriminated union names every type it knows; a person needs only to hear this one is not among them.
  if (issue.code === 'invalid_union' && (issue.path.length === 0 || issue.path.join('.') === 'type'))
    return "unknown message type (see 'type')";
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

function parseWith<T>(schema: z.ZodType<T>, raw: string): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'a message is a JSON object' };
  const result = schema.safeParse(value);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: firstIssue(result.error) };
}

/** What the coordinator does with every frame a daemon sends. */
export const parseDaemonMessage = (raw: string): Parsed<DaemonMessage> => parseWith(daemonMessage, raw);

/** What a daemon does with every frame the coordinator sends. */
export const parseCoordinatorMessage = (raw: string): Parsed<CoordinatorMessage> => parseWith(coordinatorMessage, raw);
