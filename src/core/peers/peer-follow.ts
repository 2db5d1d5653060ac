import { type ClientRequest, type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { trustedAuthorities } from '../connecting/ca-file';
import { unreachable } from '../connecting/server-client';
import { type Clock, realClock } from '../timing/clock';
import { FOLLOW_KEEPALIVE_MS, PEER_FOLLOW_PREFIX } from './output-key';
import type { OwningCoordinator } from './peer-fetch';

/** How long the owning coordinator may take to accept the connection and answer the follow. */
const CONNECT_TIMEOUT_MS = 5_000;
/** A line longer than this is not the owner's answer. */
const MAX_LINE = 1_000;

const lineSchema = z.union([z.object({ total: z.number().int().min(0) }).strict(), z.object({ ended: z.literal(true) }).strict()]);

export interface FollowHandlers {
  /** The run's output has this many events. */
  total(total: number): void;
  /** The run ended: nothing more will come. */
  ended(): void;
  /** The follow broke before the run ended; why, in a few plain words. */
  lost(why: string): void;
}

export interface PeerFollow {
  close(): void;
}

export interface FollowTiming {
  /** How often the owner repeats its total while the run is quiet (FOLLOW_KEEPALIVE_MS). */
  keepaliveMs?: number;
  /** Times the owner's silence: a test moves it, rather than waiting twice the keepalive in real time. */
  clock?: Clock;
}

/**
 * Follows one run's output on the coordinator that ran it, with that coordinator's output key: one long
 * answer, a line at each growth, until the run ends. Each handler is called from the answer's own events;
 * `lost` at most once, and never after `close`.
 */
export function followPeerOutput(
  owner: OwningCoordinator,
  agent: string,
  on: FollowHandlers,
  env: NodeJS.ProcessEnv = process.env,
  { keepaliveMs = FOLLOW_KEEPALIVE_MS, clock = realClock }: FollowTiming = {},
): PeerFollow {
  let finished = false;
  let stopSilence: () => void = () => undefined;
  const finish = (outcome: () => void) => {
    if (finished) return;
    finished = true;
    stopSilence();
    outcome();
  };
  let req: ClientRequest | null = null;
  try {
    const url = new URL(`${PEER_FOLLOW_PREFIX}${encodeURIComponent(agent)}`, owner.url);
    const secure = url.protocol === 'https:';
    const ca = secure ? trustedAuthorities(env) : undefined;
    req = (secure ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      agent: false,
      ...(ca ? { ca } : {}),
      headers: { authorization: `Bearer ${owner.outputKey}` },
    });
  } catch {
    queueMicrotask(() => finish(() => on.lost('its address is not one to reach')));
    return { close: () => finish(() => undefined) };
  }
  const open = req;
  const timer = setTimeout(() => open.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS);
  open.on('error', (error: NodeJS.ErrnoException) => {
    clearTimeout(timer);
    finish(() => on.lost(unreachable(error)));
  });
  open.on('response', (res: IncomingMessage) => {
    clearTimeout(timer);
    if (res.statusCode !== 200) {
      res.resume();
      finish(() => on.lost(`it refused to follow it (HTTP ${res.statusCode ?? 0})`));
      return;
    }
    // The owner repeats its total while the run is quiet: silence this long is a machine gone or frozen.
    const restartSilence = () => {
      stopSilence();
      if (finished) return;
      stopSilence = clock.after(2 * keepaliveMs, () => {
        finish(() => on.lost('it stopped answering'));
        open.destroy();
      });
    };
    restartSilence();
    let pending = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      restartSilence();
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0 && !finished) {
        const line = lineSchema.safeParse(parsed(pending.slice(0, newline)));
        pending = pending.slice(newline + 1);
        if (!line.success) {
          finish(() => on.lost('it does not answer as a workgraph coordinator'));
          open.destroy();
          return;
        }
        if ('total' in line.data) on.total(line.data.total);
        else finish(() => on.ended());
        newline = pending.indexOf('\n');
      }
      if (pending.length > MAX_LINE) {
        finish(() => on.lost('it does not answer as a workgraph coordinator'));
        open.destroy();
      }
    });
    res.on('error', () => finish(() => on.lost('the connection was cut')));
    res.on('close', () => finish(() => on.lost('the connection was cut')));
  });
  open.end();
  return {
    close: () => {
      clearTimeout(timer);
      finish(() => undefined);
      open.destroy();
    },
  };
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
