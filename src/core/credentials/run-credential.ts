import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A run's credential: what an agent's run gets in place of the project's API token (WG_API_TOKEN,
 * the `token` an http agent is sent). It names the agent and its run and is signed with the
 * project's token (HMAC-SHA256), so the coordinator checks it without keeping it anywhere, and one
 * coordinator restart later (same token) an adopted run's credential still holds. It proves only
 * who the run is: what the run may do, and for how long (while it works and holds its task), is
 * run-authority.ts's rule, checked on every request.
 */
const PREFIX = 'wgr_';

export interface RunIdentity {
  agentId: string;
  runId: string;
}

function signature(apiToken: string, agentId: string, runId: string): string {
  return createHmac('sha256', apiToken).update(`wg-run\n${agentId}\n${runId}`).digest('hex');
}

export function runCredential(apiToken: string, agentId: string, runId: string): string {
  return `${PREFIX}${Buffer.from(agentId, 'utf8').toString('base64url')}.${runId}.${signature(apiToken, agentId, runId)}`;
}

/** The run a credential names, when the project's token signed it; else null. */
export function verifyRunCredential(apiToken: string, given: string): RunIdentity | null {
  if (!given.startsWith(PREFIX)) return null;
  const parts = given.slice(PREFIX.length).split('.');
  if (parts.length !== 3) return null;
  const [encoded, runId, mac] = parts as [string, string, string];
  if (!/^[\w-]{1,200}$/.test(encoded) || !/^[\w-]{1,100}$/.test(runId) || !/^[0-9a-f]{64}$/.test(mac)) return null;
  const agentId = Buffer.from(encoded, 'base64url').toString('utf8');
  const expected = Buffer.from(signature(apiToken, agentId, runId));
  return timingSafeEqual(expected, Buffer.from(mac)) ? { agentId, runId } : null;
}
