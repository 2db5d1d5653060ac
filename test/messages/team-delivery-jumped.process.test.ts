import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inboxMarker } from '../../src/core/messages/delivery-hooks';
import { projectPaths } from '../../src/core/project';
import { openCoordinator } from '../../src/core/service/coordinator-service';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { until } from '../helpers/until';

/*
 * A team's graph: a message sent to a run of this coordinator by another machine (here a second store on the same
 * schema, as a `wg` in another folder writes) is delivered by this coordinator when it hears that machine's commit.
 * When this coordinator commits between that commit and its announcement, its own commit carries the higher
 * revision: the announcement arrives after it and reads as known. The message must be delivered all the same,
 * at once, not at the project's next change (on a quiet graph, never).
 *
 * Both commits are made in one turn of the event loop, so the announcement cannot be heard between them.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-delivery-jumped-'));
/** A sleep no other process on the machine runs: the run stays working until the coordinator stops it. */
const MARK = `47.${process.pid}`;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a message to a run of this coordinator, committed by another machine just before this coordinator's own commit", () => {
  it("is delivered to the run's inbox at once", async () => {
    const { url } = freshSchema('jumped');
    process.env.WG_HOME = join(root, '.home');
    process.env.WG_STORE_URL = url;
    const paths = projectPaths(join(root, 'project', '.workgraph'));
    // The other machine's store makes the project's schema (as its `wg init --store URL` would).
    const other = await Store.open(url);
    const coordinator = await openCoordinator({ paths, host: 'app', overrides: { executor: 'shell' } });
    try {
      await coordinator.dispatch('task:add', { title: 'Slow', id: 'slow', exec: `sleep ${MARK}` }, 'user');
      await until('the run working', async () =>
        (await coordinator.store.agents.list()).some((a) => a.task_id === 'slow' && a.state === 'working') ? true : null,
      );
      const marker = inboxMarker(paths.serviceDir, 'slow');
      expect(existsSync(marker)).toBe(false);
      const send = (body: string) => other.messages.send({ taskId: 'slow', sender: 'someone', body, priority: 'normal', agentId: null });

      // Heard alone, the other machine's commit delivers its message.
      await send('first');
      await until('the inbox marker of the first message', () => (existsSync(marker) ? true : null), 10_000);
      rmSync(marker);

      const before = await coordinator.store.core.currentRev();
      await send('second');
      await coordinator.store.core.write(async () => undefined);
      // At least the two: the coordinator may commit work of its own around them (a turn, a lease), which jumps
      // the announcement's revision all the more.
      expect(await coordinator.store.core.currentRev()).toBeGreaterThanOrEqual(before + 2);

      await until('the inbox marker of the second message', () => (existsSync(marker) ? true : null), 10_000);
    } finally {
      await other.close();
      await coordinator.close({ killAgents: true });
    }
  }, 120_000);
});
