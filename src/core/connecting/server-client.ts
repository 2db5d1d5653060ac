import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { opPath, opReplyOf, WARNINGS_HEADER } from '../../shared/api-contract';
import { WgError, type WgErrorCode } from '../../shared/errors';
import { ops, type OpName, type OpOutput } from '../../shared/ops/registry';
import type { ServerTarget } from './server-list';
import { trustedAuthorities } from './ca-file';

/** How long a coordinator may take to accept the connection (TCP and TLS) before the next one is tried. */
const CONNECT_TIMEOUT_MS = 10_000;
/** How long a change's answer may be silent once connected: long operations (an evaluation run) answer only at their end. */
const ANSWER_TIMEOUT_MS = 600_000;
/**
 * How long a read's may: every read answers at once from the store, so a silent one is a coordinator frozen (stopped,
 * swapping, partitioned away) and the next is asked, as a read may be sent twice.
 */
const READ_ANSWER_TIMEOUT_MS = 20_000;
/**
 * After this long with no answer to a change, the person is told it is still awaited: a coordinator that took the
 * connection and went silent kept a `wg add` waiting, saying nothing, for the ten minutes a change may take.
 */
const SLOW_CHANGE_MS = 15_000;

const ERROR_CODES: readonly WgErrorCode[] = ['invalid', 'not_found', 'conflict', 'cycle', 'unavailable', 'unauthorized', 'forbidden'];

/** A TLS refusal: the coordinator's certificate is not one this computer trusts (or not for this name). */
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

/** Why a coordinator was not reached, in a few plain words. */
export function unreachable(error: NodeJS.ErrnoException): string {
  const code = error.code ?? '';
  // A certificate for another name: trusting it more would not help; the address must be one it names.
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const names = (error as { cert?: { subjectaltname?: string } }).cert?.subjectaltname?.replace(/\b(DNS|IP Address):/g, '');
    return `its certificate is for another name${names ? ` (it names ${names})` : ''}: reach it by a name its certificate names`;
  }
  if (UNTRUSTED.test(code)) {
    return process.env.WG_CA_CERT?.trim()
      ? 'its certificate is not one this computer trusts, nor signed by the one in WG_CA_CERT'
      : 'its certificate is not one this computer trusts (set WG_CA_CERT to its certificate file)';
  }
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'no such host',
    EAI_AGAIN: 'its name could not be looked up',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: `no answer within ${CONNECT_TIMEOUT_MS / 1000} s`,
    // A unix socket that is not there: its coordinator is not running (or is starting).
    ENOENT: 'nothing listens there',
    WG_SILENT: 'no answer since the request was sent',
    ECONNRESET: 'the connection was reset',
    EPROTO: 'it does not speak TLS there (is it http://?)',
  };
  return words[code] ?? (code ? `failed (${code})` : 'failed');
}

/** The request never reached the coordinator (no connection, no TLS): the next one may be tried. */
class NotConnected extends Error {}

/** The request was sent and the coordinator went silent or away before answering: it may have acted on it. */
class NoAnswer extends Error {}

/** No coordinator answered: a change was never sent (nothing was done), a read may have met only silence. */
export class NotReached extends WgError {
  constructor(
    message: string,
    /** Why the last one tried was not reached, in a few words. */
    readonly why: string,
  ) {
    super('unavailable', message);
  }
}

interface Reply {
  status: number;
  body: unknown;
  /** The body is an OpReply: the coordinator answered the request for the operation's warnings. */
  withWarnings: boolean;
}

/** The same coordinator's address with https://. */
function httpsOf(url: URL): string {
  const secure = new URL(url.origin);
  secure.protocol = 'https:';
  return secure.origin;
}

/** One POST to one coordinator (by TCP, or on its unix socket): its reply, or NotConnected / NoAnswer saying how far it got. */
function post(
  base: string,
  path: string,
  payload: string,
  target: ServerTarget,
  ca: string[] | undefined,
  answerMs: number,
): Promise<Reply> {
  const url = new URL(path, target.socket ? 'http://localhost' : base);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    let connected = false;
    const send = secure ? httpsRequest : httpRequest;
    // A connection of its own (no pool): one request per `wg`, and nothing kept open after it.
    const req: ClientRequest = send(url, {
      method: 'POST',
      agent: false,
      ...(target.socket ? { socketPath: target.socket } : {}),
      ...(secure && ca ? { ca } : {}),
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(target.actor ? { 'x-wg-actor': target.actor } : {}),
        [WARNINGS_HEADER]: '1',
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      },
    });
    const connectTimer = setTimeout(
      () => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
      CONNECT_TIMEOUT_MS,
    );
    req.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        connected = true;
        clearTimeout(connectTimer);
        req.setTimeout(answerMs, () => req.destroy(Object.assign(new Error('no answer'), { code: 'WG_SILENT' })));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      let why = unreachable(error);
      // A coordinator listening with TLS resets a plain http:// request, and that reset was all a person heard.
      if (!secure && !target.socket && error.code === 'ECONNRESET') why += `: if it listens with TLS, its address is ${httpsOf(url)}`;
      reject(connected ? new NoAnswer(why) : new NotConnected(why));
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => reject(new NoAnswer('the answer was cut off')));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = text ? JSON.parse(text) : null;
        } catch {
          body = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body, withWarnings: res.headers[WARNINGS_HEADER] !== undefined });
      });
    });
    req.end(payload);
  });
}

function apiError(body: unknown): { code: WgErrorCode; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body) || typeof body.error !== 'string') return null;
  const code = 'code' in body && ERROR_CODES.includes(body.code as WgErrorCode) ? (body.code as WgErrorCode) : 'unavailable';
  return { code, message: body.error };
}

/**
 * A coordinator's answer as this command's result, its warnings told as a local `wg` tells them (on stderr, before
 * the result is printed), or its refusal as the same one line a local `wg` prints.
 */
function resultOf<N extends OpName>(base: string, reply: Reply, warn: (message: string) => void): OpOutput<N> {
  if (reply.status >= 200 && reply.status < 300 && reply.body !== undefined) {
    if (!reply.withWarnings) return reply.body as OpOutput<N>;
    const answer = opReplyOf(reply.body);
    if (answer) {
      for (const message of answer.warnings) warn(message);
      return answer.result as OpOutput<N>;
    }
  }
  const error = apiError(reply.body);
  if (!error) throw new WgError('unavailable', `${base} does not answer as a workgraph coordinator (HTTP ${reply.status})`);
  if (reply.status === 401) throw new WgError('unauthorized', `the coordinator at ${base} refused the token: ${error.message}`);
  throw new WgError(error.code, error.message);
}

/**
 * Runs one operation on a coordinator over its HTTP API (`POST /api/op/<name>`), as the person whose
 * token it carries: the coordinator validates the input, decides what that person may do and runs it,
 * and its answer is printed here exactly as a local result would be. The addresses are tried in
 * order while none could be reached; a change that was sent is never sent again elsewhere (the
 * first coordinator may have made it), a read is.
 */
export async function callServerOp<N extends OpName>(
  name: N,
  input: unknown,
  target: ServerTarget,
  env: NodeJS.ProcessEnv = process.env,
  readAnswerMs = READ_ANSWER_TIMEOUT_MS,
  warn: (message: string) => void = () => undefined,
  slowChangeMs = SLOW_CHANGE_MS,
): Promise<OpOutput<N>> {
  const ca = trustedAuthorities(env);
  const within = (ops[name] as { answerWithinMs?: (input: unknown) => number }).answerWithinMs?.(input);
  const answerMs = within ?? (ops[name].kind === 'query' ? readAnswerMs : ANSWER_TIMEOUT_MS);
  const payload = JSON.stringify(input ?? {});
  const failures: string[] = [];
  let lastWhy = '';
  for (const base of target.servers) {
    const slow =
      ops[name].kind === 'query'
        ? undefined
        : setTimeout(
            () =>
              warn(
                `still waiting for the coordinator at ${base} to answer; a change goes to one coordinator only, so if you stop here, check whether it was done`,
              ),
            slowChangeMs,
          );
    try {
      return resultOf<N>(base, await post(base, opPath(name), payload, target, ca, answerMs), warn);
    } catch (error) {
      if (error instanceof NotConnected || (error instanceof NoAnswer && ops[name].kind === 'query')) {
        failures.push(`${base}: ${error.message}`);
        lastWhy = error.message;
        continue;
      }
      if (error instanceof NoAnswer) {
        const command = ops[name].cli?.command ?? name;
        throw new WgError(
          'unavailable',
          `the coordinator at ${base} went away before answering (${error.message}); 'wg ${command}' may or may not have been done there`,
        );
      }
      throw error;
    } finally {
      clearTimeout(slow);
    }
  }
  const only = target.servers.length === 1;
  throw new NotReached(`could not reach ${only ? 'the coordinator at ' : 'any coordinator of WG_SERVER: '}${failures.join('; ')}`, lastWhy);
}
