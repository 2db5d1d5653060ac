import { readFileSync } from 'node:fs';
import type { ListenRequest } from '../../service-state/state-file';
import { invalid } from '../../../shared/errors';
import { LISTEN_PATTERN } from '../../../shared/ops/schemas';
import { whyUnreadable } from '../../../shared/plain-failure';

/** How the API listens on TCP: loopback by default; beyond it only with TLS or an explicit --insecure. */
export interface ListenPlan {
  host: string;
  /** 0: a free port. */
  port: number;
  /** With port 0: this one when it is free (the project's last), else any free port. */
  preferredPort?: number | null;
  /** True for 127.0.0.1, ::1 and localhost: the DNS-rebinding Host check applies. */
  loopback: boolean;
  tls: { cert: Buffer; key: Buffer } | null;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export const LOOPBACK_PLAN: ListenPlan = { host: '127.0.0.1', port: 0, loopback: true, tls: null };

/** `HOST:PORT` or `[V6]:PORT`, else one clear line. */
function parseListen(text: string): { host: string; port: number } {
  const match = LISTEN_PATTERN.exec(text.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) throw invalid(`--listen takes HOST:PORT (e.g. 0.0.0.0:8787), not '${text}'`);
  return { host: (match[1] ?? match[2]) as string, port };
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw invalid(`cannot read the TLS ${what} ${path}: ${whyUnreadable(error)}`);
  }
}

/**
 * The plan for a request, or one line saying why not. Beyond loopback the API and the agent
 * socket carry tokens, so it takes TLS (both files) or a deliberate --insecure: never by accident.
 */
export function listenPlan(request: ListenRequest): ListenPlan {
  const { tlsCert, tlsKey } = request;
  if (Boolean(tlsCert) !== Boolean(tlsKey)) throw invalid('TLS needs both --tls-cert and --tls-key');
  const tls = tlsCert && tlsKey ? { cert: readPem(tlsCert, 'certificate'), key: readPem(tlsKey, 'key') } : null;
  if (!request.listen) return { ...LOOPBACK_PLAN, tls };
  const { host, port } = parseListen(request.listen);
  const loopback = LOOPBACK.has(host.toLowerCase());
  if (!loopback && !tls && !request.insecure) {
    throw invalid(
      `refusing to listen on ${request.listen} without TLS: agent tokens would cross the network in clear text; pass --tls-cert and --tls-key, or --insecure if you mean it`,
    );
  }
  return { host, port, loopback, tls };
}
