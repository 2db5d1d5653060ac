import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../src/core/project';
import { openCoordinator } from '../../src/core/service/coordinator-service';
import { listenForCommits } from '../../src/core/store/postgres/commit-listener';
import { commitChannel, type PgConnection } from '../../src/core/store/postgres/pg-connection';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { STORE_KINDS } from '../helpers/temp-store';
import { until } from '../helpers/until';

/*
 * Any role that logs in to a team's database may NOTIFY on any channel of it, another project's commit channel
 * included (SECURITY.md). An announcement naming a revision far past the project's, or calling the next revision
 * quiet before it is made, must not become what the coordinator takes as known: the commits after it are acted on
 * at once, and the windows are told only revisions the store has.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-forged-announcement-'));
const HOUR = 3600;

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(!STORE_KINDS.includes('postgres'))("a forged announcement on a team's commit channel", () => {
  it.each([
    ['the next revision, called quiet before it is made', (rev: number) => `${rev + 1} quiet`],
    ["a revision far past the project's", () => '1000000000'],
  ])(
    'naming %s leaves the coordinator acting on the commit after it, telling only revisions the store has',
    async (_, payloadAt) => {
      const { url, schema } = freshSchema('forged');
      process.env.WG_HOME = join(root, '.home');
      process.env.WG_STORE_URL = url;
      const paths = projectPaths(join(root, schema, '.workgraph'));
      const other = await Store.open(url);
      // Safety net an hour away: only the announcement of the next commit can wake the coordinator in time.
      const coordinator = await openCoordinator({ paths, host: 'app', overrides: { executor: 'manual', interval: HOUR } });
      const told: number[] = [];
      const unsubscribe = coordinator.onChange((rev) => told.push(rev));
      const forger = (other.core.conn as PgConnection).target;
      const forged: Array<number | null> = [];
      const heard = listenForCommits(
        forger,
        (rev) => forged.push(rev),
        () => undefined,
      );
      try {
        await until('the test listening', () => forged.length > 0);
        const payload = payloadAt(await other.core.currentRev());
        await (other.core.conn as PgConnection).pgQuery('SELECT pg_notify($1, $2)', [commitChannel(schema), payload]);
        await until('the forged announcement heard', () => forged.length > 1);
        // Long enough for the coordinator to have read the project's revision on hearing it.
        await new Promise((resolve) => setTimeout(resolve, 300));

        await other.tasks.add({ title: 'Later', id: 'later', executor: 'manual' }, 'someone');
        const real = await other.core.currentRev();
        // Its turn notes that the task waits for a person.
        await until(
          "the coordinator's turn on the added task",
          async () => (await other.get('later')).log.some((entry) => entry.actor === 'coordinator'),
          10_000,
        );
        expect(Math.max(...told)).toBeLessThanOrEqual(await other.core.currentRev());
        expect(told).toContain(real);
      } finally {
        heard.stop();
        unsubscribe();
        await coordinator.close({ killAgents: true });
        await other.close();
      }
    },
    60_000,
  );
});
