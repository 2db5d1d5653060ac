import { opPath } from '../../shared/api-contract';
import type { Transport } from '../../shared/client';
import type { OpOutput, OpName } from '../../shared/ops/registry';
import { OpError } from './op-error';
import { UNREACHABLE_CODE, UNREACHABLE_TEXT, type ConnectionWatch } from './connection';

export interface HttpTransportOptions {
  /** Origin of the daemon, '' for the page's own origin. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Told whether each request reached the coordinator. */
  connection?: ConnectionWatch;
}

/** Sends each op as `POST /api/op/<name>` with the bearer token (see src/shared/api-contract.ts). */
export function createHttpTransport(options: HttpTransportOptions): Transport {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  return async <N extends OpName>(name: N, input: unknown): Promise<OpOutput<N>> => {
    let response: Response;
    try {
      response = await send(`${options.baseUrl}${opPath(name)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${options.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
      });
    } catch {
      options.connection?.unreachable();
      throw new OpError(UNREACHABLE_TEXT, UNREACHABLE_CODE);
    }
    options.connection?.answered();
    const body = parseJson(await response.text());
    if (!response.ok) throw toOpError(response.status, body);
    // The daemon validated the input and typed the result with the same registry.
    return body as OpOutput<N>;
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toOpError(status: number, body: unknown): OpError {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
    const code = 'code' in body && typeof body.code === 'string' ? body.code : String(status);
    return new OpError(body.error, code);
  }
  return new OpError(typeof body === 'string' && body !== '' ? body : `HTTP ${status}`, String(status));
}
