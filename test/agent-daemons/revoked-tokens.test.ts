import { setImmediate as turn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { DaemonRegistry } from '../../src/core/agent-daemons/daemon-registry';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { RevokedTokens } from '../../src/core/agent-daemons/revoked-tokens';
import { TokenStore } from '../../src/core/store/token-store';
import { tempStore } from '../helpers/temp-store';

/** RevokedTokens over a real store with no daemon connected: it only reads the store, and says so when it cannot. */
async function revokedOver() {
  const t = await tempStore();
  const warnings: string[] = [];
  const untouched = () => {
    throw new Error('no daemon is connected: nothing is withdrawn');
  };
  const revoked = new RevokedTokens({
    tokens: new TokenStore(t.store.core),
    jobs: new JobStore(t.store.core),
    registry: new DaemonRegistry(),
    sessions: { withdraw: untouched, withdrawAway: untouched },
    hub: { closeToken: untouched },
    mine: async () => true,
    log: { warn: (message) => warnings.push(message) },
  });
  return { t, revoked, warnings };
}

describe('the look at revoked agent tokens after a commit', () => {
  it('says once when the store cannot be read, and looks again at the next commit', async () => {
    const { t, revoked, warnings } = await revokedOver();
    revoked.queue();
    await t.store.close();
    await turn();
    expect(warnings).toEqual([expect.stringMatching(/^could not check the agent daemons' tokens: /)]);
    await t.dispose();
  });

  // CI of stop 68: `wg service restart` committed as the old coordinator stopped; the look queued by that commit ran
  // after its store was closed and stayed in `wg service status` as the last error, across the restart.
  it('queued just before the coordinator stops, reads nothing and warns of nothing', async () => {
    const { t, revoked, warnings } = await revokedOver();
    revoked.queue();
    revoked.close();
    revoked.queue();
    await t.store.close();
    await turn();
    await turn();
    expect(warnings).toEqual([]);
    await t.dispose();
  });
});
