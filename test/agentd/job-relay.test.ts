import { afterEach, describe, expect, it } from 'vitest';
import { JobRelay } from '../../src/agentd/job-relay';

/*
 * The `wg` inside a remote job reaches the coordinator through the daemon's relay on loopback (job-relay.ts). What
 * it cannot take is refused with a status and one line, as the coordinator's own API refuses it, not with a reset.
 */

const sent: string[] = [];
let relay: JobRelay | null = null;
afterEach(() => {
  relay?.stop();
  relay = null;
  sent.length = 0;
});

async function opened(): Promise<{ url: string; token: string }> {
  relay = new JobRelay({
    send: (_lease, _id, op) => {
      sent.push(op);
      return 'offline';
    },
  });
  await relay.start();
  const env = relay.open('lease-1');
  return { url: env.WG_AGENTD_RELAY, token: env.WG_AGENTD_JOB_TOKEN };
}

describe("an agent daemon's relay for its jobs' wg", () => {
  it('answers a command over 1 MiB with 413 and one line, relaying nothing', async () => {
    const { url, token } = await opened();
    const response = await fetch(`${url}/api/op/task:log`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: 'a'.repeat(1_200_000),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: `request body is larger than ${1024 * 1024} bytes`, code: 'invalid' });
    expect(sent).toEqual([]);
  });

  it('answers a body that is not JSON with 400', async () => {
    const { url, token } = await opened();
    const response = await fetch(`${url}/api/op/task:log`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: '{no' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'request body is not valid JSON', code: 'invalid' });
  });
});
