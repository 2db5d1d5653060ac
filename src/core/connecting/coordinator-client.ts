import { request } from 'node:http';
import type { ApiError } from '../../shared/api-contract';
import { opPath, opReplyOf, WARNINGS_HEADER } from '../../shared/api-contract';
import { WgError, type WgErrorCode } from '../../shared/errors';
import { ops, type OpName, type OpOutput } from '../../shared/ops/registry';
import type { ProjectPaths } from '../project';
import { requireSafeSocket } from './socket-safety';

import { readToken } from './coordinator-poke';

/**
 * A `wg` run inside an agent's run says so (WG_AGENT_ID and WG_RUN_ID), so that the daemon holds
 * its service operations to what a run may do (run-authority.ts), as the CLI does for store ones.
 */
function runHeaders(env: NodeJS.ProcessEnv): Record<string, string> {
  const agent = env.WG_AGENT_ID;
  const run = env.WG_RUN_ID;
  return agent && run ? { 'x-wg-agent': agent, 'x-wg-run': run } : {};
}

interface Reply {
  status: number;
  body: unknown;
  /** The body is an OpReply (the request asked for the operation's warnings, and the daemon answered so). */
  withWarnings: boolean;
}

/**
 * One HTTP request to the daemon over its unix socket. The token goes only to a socket of the
 * user's own (requireSafeSocket); otherwise this rejects with that reason.
 */
export function coordinatorRequest(
  paths: ProjectPaths,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 30_000,
  extraHeaders: Record<string, string> = {},
): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  try {
    requireSafeSocket(paths.socket);
  } catch (error) {
    return Promise.reject(error);
  }
  const token = readToken(paths);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: paths.socket,
        method,
        path,
        timeout: timeoutMs,
        headers: {
          host: 'localhost',
          ...runHeaders(process.env),
          ...extraHeaders,
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = text ? JSON.parse(text) : null;
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, withWarnings: res.headers[WARNINGS_HEADER] !== undefined });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('the coordinator did not answer in time')));
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Runs a service-scoped operation in the daemon, its warnings told to `warn` as a local `wg` tells them; a daemon that
 * is not there is one clear error.
 */
export async function callCoordinatorOp<N extends OpName>(
  paths: ProjectPaths,
  name: N,
  input: unknown,
  warn: (message: string) => void = () => undefined,
): Promise<OpOutput<N>> {
  let reply: Reply;
  try {
    const within = (ops[name] as { answerWithinMs?: (input: unknown) => number }).answerWithinMs?.(input);
    reply = await coordinatorRequest(paths, 'POST', opPath(name), input ?? {}, within, { [WARNINGS_HEADER]: '1' });
  } catch (error) {
    if (error instanceof WgError) throw error;
    throw new WgError('unavailable', "the coordinator is not running (start it with 'wg service start')");
  }
  if (reply.status >= 400) {
    const error = reply.body as Partial<ApiError> | null;
    throw new WgError((error?.code as WgErrorCode | undefined) ?? 'invalid', error?.error ?? `HTTP ${reply.status}`);
  }
  const answer = reply.withWarnings ? opReplyOf(reply.body) : undefined;
  if (!answer) return reply.body as OpOutput<N>;
  for (const message of answer.warnings) warn(message);
  return answer.result as OpOutput<N>;
}
