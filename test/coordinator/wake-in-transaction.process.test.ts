import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectPaths } from '../../src/core/project';
import { openCoordinator } from '../../src/core/service/coordinator-service';
import { until } from '../helpers/until';

/*
 * A turn asked for from inside a transaction (at its start the coordinator adopts the runs it finds in one; a run found
 * over there asks for a turn at once) is a turn of its own. Made inside, its writes were savepoints of that transaction,
 * which could commit while the turn was still writing: on PostgreSQL the rest went out outside any transaction, without
 * the project's lock (active-faults.process.test.ts: a task claimed by two coordinators, the team's cap passed).
 */
const root = mkdtempSync(join(tmpdir(), 'wg-wake-in-tx-'));
const HOUR = 3600;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a turn asked for from inside a transaction', () => {
  it('waits for that transaction, and claims in a transaction of its own', async () => {
    process.env.WG_HOME = join(root, '.home');
    const paths = projectPaths(join(root, 'project', '.workgraph'));
    const errors: string[] = [];
    const log = {
      info: () => undefined,
      warn: () => undefined,
      error: (line: string) => void errors.push(line),
      recentErrors: () => [],
    };
    const coordinator = await openCoordinator({ paths, host: 'app', log, overrides: { executor: 'shell', interval: HOUR } });
    const { store, engine } = coordinator;
    // Between turns: a wake asked for during a turn is answered by the next, which is asked for from that turn.
    const pumping = () => (engine as unknown as { pumping: boolean }).pumping;
    try {
      await store.tasks.add({ id: 'first', title: 'First', exec: 'true' }, 'user');
      await until('the first task done', async () => (await store.get('first')).status === 'done', 10_000);
      await until('no turn under way', () => !pumping());
      let seenInside = '';
      await store.core.write(async () => {
        await store.tasks.add({ id: 'ready', title: 'Ready', exec: 'true' }, 'user');
        engine.wake();
        // Time enough for a turn: one made inside this transaction would have claimed the task by now.
        await sleep(300);
        seenInside = (await store.get('ready')).status;
      });
      expect(seenInside).toBe('open');
      await until('the task done', async () => (await store.get('ready')).status === 'done', 10_000);
      expect(errors).toEqual([]);
    } finally {
      await coordinator.close({ killAgents: true });
    }
  }, 60_000);
});
