import { opPath } from '../shared/api-contract';
import { WgError, type WgErrorCode } from '../shared/errors';
import type { OpName, OpOutput } from '../shared/ops/registry';

const CODES: readonly string[] = ['invalid', 'not_found', 'conflict', 'cycle', 'unavailable', 'unauthorized', 'forbidden'];

/**
 * One `wg` command inside a remote job: sent to the agent daemon's relay (src/agentd/job-relay.ts)
 * with the job's own token, which the daemon relays to the coordinator with the job's lease. The
 * coordinator validates the input and decides what the job may do; its refusal comes back as a
 * refusal here (one line, the same exit code as on the coordinator's machine).
 */
export async function callRelayOp<N extends OpName>(name: N, input: unknown, relay: string, token: string): Promise<OpOutput<N>> {
  let response: Response;
  try {
    response = await fetch(`${relay}${opPath(name)}`, {
      method: 'POST',
      body: JSON.stringify(input ?? {}),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
  } catch {
    throw new WgError('unavailable', 'the agent daemon running this job does not answer (WG_AGENTD_RELAY)');
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (response.ok) return body as OpOutput<N>;
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string') {
    const code = 'code' in body && CODES.includes(String(body.code)) ? (body.code as WgErrorCode) : 'unavailable';
    throw new WgError(code, body.error);
  }
  throw new WgError('unavailable', `the agent daemon's relay answered ${response.status}`);
}
