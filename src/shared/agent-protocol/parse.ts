import type { z } from 'zod';
import { fieldLabel, PLAIN } from '../ops/plain-errors';
import { coordinatorMessage, type CoordinatorMessage } from './coordinator-messages';
import { daemonMessage, leaseId, type DaemonMessage } from './daemon-messages';
import { MAX_AGENT_MESSAGE_BYTES } from './protocol-constants';

/** What a refused frame said it was about, when it said so in a readable way: an answer can name its job. */
export interface RefusedAbout {
  type: string;
  lease_id: string | null;
  request_id: number | null;
}

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string; about?: RefusedAbout };

type Issue = z.core.$ZodRawIssue;

/**
 * The plain wording of src/shared/ops/plain-errors.ts (never zod's "Too big: expected string to have
 * <=3145728 characters"), without its leading field name: the line below puts the field's path first.
 */
const PROTOCOL_PLAIN = {
  error: (issue: Issue): string => {
    const text = PLAIN.error(issue);
    const label = fieldLabel(issue.path);
    return text.startsWith(`${label} `) ? text.slice(label.length + 1) : text;
  },
} as const;

/** One line saying what is wrong with a message, in plain words (never a library's dump). */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid message';
  // A discriminated union names every type it knows; a person needs only to hear this one is not among them.
  if (issue.code === 'invalid_union' && (issue.path.length === 0 || issue.path.join('.') === 'type'))
    return "unknown message type (see 'type')";
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${(issue.message.split('\n')[0] ?? '').trim()}`;
}

/** The type, lease and request id a frame names, each only when well formed. */
function aboutOf(value: Record<string, unknown>): RefusedAbout | undefined {
  if (typeof value.type !== 'string') return undefined;
  const lease = leaseId.safeParse(value.lease_id);
  const request = value.request_id;
  return {
    type: value.type,
    lease_id: lease.success ? lease.data : null,
    request_id: typeof request === 'number' && Number.isInteger(request) && request >= 0 ? request : null,
  };
}

function parseWith<T>(schema: z.ZodType<T>, raw: string): Parsed<T> {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return { ok: false, error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'a message is a JSON object' };
  const result = schema.safeParse(value, PROTOCOL_PLAIN);
  if (result.success) return { ok: true, message: result.data };
  const about = aboutOf(value as Record<string, unknown>);
  return { ok: false, error: firstIssue(result.error), ...(about ? { about } : {}) };
}

/** What the coordinator does with every frame a daemon sends. */
export const parseDaemonMessage = (raw: string): Parsed<DaemonMessage> => parseWith(daemonMessage, raw);

/** What a daemon does with every frame the coordinator sends. */
export const parseCoordinatorMessage = (raw: string): Parsed<CoordinatorMessage> => parseWith(coordinatorMessage, raw);

/** The bytes of a text in UTF-8 (what a WebSocket frame carries), counted without encoding it: this code runs in the window too. */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Each half of a surrogate pair counts 2 (4 for the character): JSON.stringify escapes a lone one.
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3;
  }
  return bytes;
}

/** A size as a person reads it: 4 MB, 3.4 MB (MiB, one decimal). */
export function megabytes(size: number): string {
  return `${(size / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
}

type Frame = { ok: true; text: string; bytes: number } | { ok: false; error: string; bytes: number };

/**
 * A daemon's message as the coordinator will take it (the same schema; within the socket's limit, as a
 * larger frame is not refused but drops the whole connection, 1009), or why not, in one plain line.
 * The daemon checks every frame before it sends it; the coordinator measures its own (agent-hub.ts).
 */
export function daemonFrame(message: DaemonMessage): Frame {
  const text = JSON.stringify(message);
  const bytes = utf8Bytes(text);
  if (bytes > MAX_AGENT_MESSAGE_BYTES)
    return {
      ok: false,
      bytes,
      error: `the message is larger than the connection carries (${megabytes(bytes)}, at most ${megabytes(MAX_AGENT_MESSAGE_BYTES)})`,
    };
  const checked = daemonMessage.safeParse(message, PROTOCOL_PLAIN);
  return checked.success ? { ok: true, text, bytes } : { ok: false, bytes, error: firstIssue(checked.error) };
}
