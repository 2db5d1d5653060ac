import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { WaitingNotices } from '../../src/core/coordinator/waiting-notice';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { statementsDuring } from '../helpers/statements';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  it('finds the ready tasks nothing starts by itself in one statement (a round trip in every turn on PostgreSQL)', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    const paths = projectPaths(join(env.dir, '.workgraph'));
    ensureProjectDirs(paths);
    // The default executor manual too: every part of the look (manual executors, none given, system tasks) is asked.
    const config = { ...(await (await ConfigView.open(paths, {}, () => undefined)).current()) };
    config.settings = { ...config.settings, coordinator: { ...config.settings.coordinator, executor: 'manual' } };
    await store.tasks.add({ title: 'by hand', id: 'by-hand', executor: 'manual' }, 'test');
    await store.tasks.add({ title: 'unnamed', id: 'unnamed' }, 'test');
    await store.tasks.add({ title: 'merge', id: '.merge-x' }, 'test');
    await store.tasks.add({ title: 'shell', id: 'shell', exec: 'true' }, 'test');
    const notices = new WaitingNotices();

    let untold: string[] = [];
    const statements = await statementsDuring(store.core, async () => {
      untold = await notices.untold(store.core, await notices.readyToTell(store, config, store.core.clock()));
    });
    expect(untold.toSorted()).toEqual(['.merge-x', 'by-hand', 'unnamed']);
    // The look, then one read of each task's last log line (whether it was told already): two statements, four reads.
    expect(new Set(statements).size).toBe(2);
    expect(statements).toHaveLength(1 + 3);
  });
});
