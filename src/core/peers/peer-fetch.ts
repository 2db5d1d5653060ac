import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { WgError } from '../../shared/errors';
import type { RunEventPage } from '../../shared/run-event';
import { trustedAuthorities } from '../connecting/ca-file';
import { unreachable } from '../connecting/server-client';
import { PEER_OUTPUT_PREFIX } from './output-key';

/** How long the owning coordinator may take to accept the connection, then to answer. */
const CONNECT_TIMEOUT_MS = 5_000;
const ANSWER_TIMEOUT_MS = 30_000;

/** The coordinator that started a run, as its row in the project's store names it. */
export interface OwningCoordinator {
  host: string;
  folder: string;
  url: string;
  outputKey: string;
}

const pageSchema = z.object({
  agent_id: z.string(),
  total: z.number().int().min(0),
  offset: z.number().int().min(0),
  events: z.array(z.object({ seq: z.number(), at: z.string(), event: z.object({ type: z.string() }).passthrough() })),
});

const errorSchema = z.object({ error: z.string() });

type Reply = { status: number; text: string };

function get(url: URL, key: string, env: NodeJS.ProcessEnv): Promise<Reply> {
  const secure = url.protocol === 'https:';
  const ca = secure ? trustedAuthorities(env) : undefined;
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      agent: false,
      ...(ca ? { ca } : {}),
      headers: { authorization: `Bearer ${key}` },
    });
    const connectTimer = setTimeout(
      () => req.destroy(Object.assign(new Error('connect timeout'), { code: 'ETIMEDOUT' })),
      CONNECT_TIMEOUT_MS,
    );
    req.on('socket', (socket) => {
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(connectTimer);
        req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
      });
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(connectTimer);
      reject(new Error(unreachable(error)));
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', () => reject(new Error('the answer was cut off')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.end();
  });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A page of a run's output from the coordinator that ran it, with that coordinator's output key; its
 * refusal, or that it cannot be reached, as one line naming it.
 */
export async function fetchPeerOutput(
  owner: OwningCoordinator,
  agent: string,
  offset: number,
  limit: number,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunEventPage> {
  const where = `the coordinator ${owner.host}:${owner.folder} (${owner.url})`;
  let url: URL;
  try {
    url = new URL(`${PEER_OUTPUT_PREFIX}${encodeURIComponent(agent)}?offset=${offset}&limit=${limit}`, owner.url);
  } catch {
    throw new WgError('unavailable', `${agent} ran on ${where}, whose address is not one to reach`);
  }
  let reply: Reply;
  try {
    reply = await get(url, owner.outputKey, env);
  } catch (error) {
    throw new WgError('unavailable', `${agent}'s output is on ${where}, which cannot be reached: ${(error as Error).message}`);
  }
  const body = parsed(reply.text);
  if (reply.status === 200) {
    const page = pageSchema.safeParse(body);
    if (page.success) return page.data as RunEventPage;
  }
  const refusal = errorSchema.safeParse(body);
  const reason = refusal.success ? refusal.data.error : `it does not answer as a workgraph coordinator (HTTP ${reply.status})`;
  throw new WgError('unavailable', `${agent}'s output is on ${where}, which refused to send it: ${reason}`);
}
