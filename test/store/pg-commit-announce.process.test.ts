import { sqlText } from '../helpers/sql-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CommitListener, listenForCommits } from '../../src/core/store/postgres/commit-listener';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import type { CommitKind } from '../../src/core/store/postgres/pg-connection';
import { Store } from '../../src/core/store/store';
import { writeTeamSettings } from '../../src/core/store/team-settings';
import { freshSchema } from '../helpers/postgres-server';
import { until } from '../helpers/until';

/**
 * Every commit to a team's graph is announced with its revision; a commit that gives other coordinators nothing to
 * act on (it only claimed tasks and recorded pids) says so, and the other coordinators take no turn for it (a window still hears the revision); one that wrote
 * the team's settings says so, and they read their configuration at once.
 */
const { url } = freshSchema('announce');
let store: Store;
let listener: CommitListener;
const heard: Array<{ rev: number | null; kind: CommitKind }> = [];

beforeAll(async () => {
  store = await Store.open(url);
  listener = listenForCommits(
    parseStoreUrl(url),
    (rev, kind) => heard.push({ rev, kind }),
    () => {},
  );
  // Listening: the first thing heard is the catch-up after connecting.
  await until('the listener connected', () => heard.length > 0, 30_000);
}, 120_000);

afterAll(async () => {
  listener.stop();
  await store.close();
});

describe('the announcement of a commit (PostgreSQL)', () => {
  it('says when the commit gives other coordinators nothing to act on, and not otherwise', async () => {
    heard.length = 0;
    await store.tasks.add({ title: 'a', id: 'a', exec: 'true' }, 'test');
    const added = await store.core.currentRev();
    await until('the add heard', () => heard.some((h) => h.rev === added), 10_000);
    expect(heard.find((h) => h.rev === added)?.kind).toBe('other');

    await store.core.batch(async () => {
      await store.core.write((rev) => sqlText(store.core, "UPDATE tasks SET status = 'in-progress', rev = ? WHERE id = 'a'").run(rev));
      store.core.announceQuiet();
    });
    const claimed = await store.core.currentRev();
    expect(claimed).toBe(added + 1);
    await until('the claim heard', () => heard.some((h) => h.rev === claimed), 10_000);
    expect(heard.find((h) => h.rev === claimed)?.kind).toBe('quiet');

    // The mark is the transaction's own: the next commit is announced plainly.
    await store.tasks.add({ title: 'b', id: 'b', exec: 'true' }, 'test');
    const next = await store.core.currentRev();
    await until('the next commit heard', () => heard.some((h) => h.rev === next), 10_000);
    expect(heard.find((h) => h.rev === next)?.kind).toBe('other');
  });

  it("says when the commit wrote the team's settings", async () => {
    heard.length = 0;
    expect(await writeTeamSettings(store.core, (current) => new Map([...current, ['coordinator.model', 'haiku']]))).toBe(true);
    const written = await store.core.currentRev();
    await until('the settings heard', () => heard.some((h) => h.rev === written), 10_000);
    expect(heard.find((h) => h.rev === written)?.kind).toBe('settings');
    // Unchanged settings write nothing, and the next commit is announced plainly.
    expect(await writeTeamSettings(store.core, (current) => current)).toBe(false);
    await store.tasks.add({ title: 'c', id: 'c', exec: 'true' }, 'test');
    const next = await store.core.currentRev();
    await until('the next commit heard', () => heard.some((h) => h.rev === next), 10_000);
    expect(heard.find((h) => h.rev === next)?.kind).toBe('other');
  });
});
