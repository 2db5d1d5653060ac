import type { IncomingMessage } from 'node:http';
import { verifyRunCredential, type RunIdentity } from '../../credentials/run-credential';
import { tokenMatches } from '../api-token';
import { HttpError } from './reply';
import type { PersonCaller } from '../../../shared/agent-daemon-types';

/** `loopback`: the TCP port listens on loopback only (the usual case); beyond it the token alone guards the API. */
export type Transport = { kind: 'tcp'; port: number; loopback: boolean; scheme: 'http' | 'https' } | { kind: 'unix' };

/**
 * DNS rebinding: a hostile page may resolve its own name to 127.0.0.1, but its requests still
 * carry its Host. Only our own loopback names with our port pass. The unix socket is reachable
 * only by this user's processes, which never send a browser's Host.
 */
export function checkHost(req: IncomingMessage, transport: Transport): void {
  // Beyond loopback the server is reached by names we cannot know; every API route needs the token there.
  if (transport.kind === 'unix' || !transport.loopback) return;
  const host = (req.headers.host ?? '').toLowerCase();
  const allowed = [`127.0.0.1:${transport.port}`, `localhost:${transport.port}`];
  if (!allowed.includes(host)) throw new HttpError(403, 'forbidden', `host '${host || '(none)'}' is not allowed`);
}

/** A browser sends Origin on cross-origin requests; only our own page's origin may call us. */
export function checkOrigin(req: IncomingMessage, transport: Transport): void {
  const origin = req.headers.origin;
  if (origin === undefined) return;
  const allowed =
    transport.kind === 'unix'
      ? []
      : transport.loopback
        ? [`${transport.scheme}://127.0.0.1:${transport.port}`, `${transport.scheme}://localhost:${transport.port}`]
        : [`${transport.scheme}://${(req.headers.host ?? '').toLowerCase()}`];
  if (!allowed.includes(origin.toLowerCase())) throw new HttpError(403, 'forbidden', `origin '${origin}' is not allowed`);
}

/**
 * What a request's token opens: everything (the project's token), one run's own task (its credential),
 * or what a person may do, as that person (a token made with `wg token create NAME --person`).
 */
export type Grant = { kind: 'project' } | { kind: 'run'; run: RunIdentity } | { kind: 'person'; person: PersonCaller; issued: string };

/** A person's token looked up in the store: who it is, why it is refused, or null when it is none of them. */
export type PersonLookup = (
  token: string,
) => Promise<{ ok: true; caller: PersonCaller; issued: string } | { ok: false; reason: string } | null>;

/** Bearer header; `?token=` only where a browser cannot send headers (EventSource). */
export async function checkToken(
  req: IncomingMessage,
  url: URL,
  token: string,
  allowQuery: boolean,
  people?: PersonLookup,
): Promise<Grant> {
  const header = req.headers.authorization;
  const bearer = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : null;
  const given = bearer ?? (allowQuery ? url.searchParams.get('token') : null);
  if (tokenMatches(token, given)) return { kind: 'project' };
  const run = bearer ? verifyRunCredential(token, bearer) : null;
  if (run) return { kind: 'run', run };
  const person = given && people ? await people(given) : null;
  if (person?.ok) return { kind: 'person', person: person.caller, issued: person.issued };
  if (person) throw new HttpError(401, 'unauthorized', person.reason);
  throw new HttpError(401, 'unauthorized', given ? 'invalid token' : 'missing token (Authorization: Bearer <token>)');
}
