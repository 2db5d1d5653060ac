import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchCommits } from '../../src/core/service/commit-watch';
import { sleep, waitFor } from './helpers/daemon-project';

const root = mkdtempSync(join(tmpdir(), 'wg-watch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A stand-in database whose WAL we write ourselves; `check` says what the store would. */
function watched(name: string, check: () => boolean) {
  const db = join(root, `${name}.db`);
  writeFileSync(`${db}-wal`, '');
  const watch = watchCommits(
    db,
    async () => check(),
    (message) => {
      throw new Error(message);
    },
  );
  return { write: () => appendFileSync(`${db}-wal`, 'frame'), ownCommit: watch.ownCommit, stop: watch.stop };
}

describe('the commit watch', () => {
  it('looks again a moment after a WAL write that showed nothing new: the commit is published after its frames, with no event of its own', async () => {
    let published = false;
    let checks = 0;
    const wal = watched('late', () => {
      checks++;
      // The first look comes between the frames and the publication.
      const seen = published;
      published = true;
      return seen;
    });
    wal.write();
    await waitFor('the commit to be noticed without another event', () => checks >= 2, 2_000, 1);
    wal.stop();
  });

  it('stops looking soon after a write that never shows a commit (a transaction rolled back, say)', async () => {
    let checks = 0;
    const wal = watched('own', () => {
      checks++;
      return false;
    });
    wal.write();
    await waitFor('the first look', () => checks >= 1, 2_000, 1);
    await sleep(100);
    const settled = checks;
    await sleep(200);
    expect(settled).toBeGreaterThanOrEqual(3);
    expect(checks).toBe(settled);
    wal.stop();
  });

  it("looks once at a write that follows this process's own commit: the write was its own, with nothing to look for again", async () => {
    let checks = 0;
    const wal = watched('mine', () => {
      checks++;
      return false;
    });
    // As the store does: the commit's frames, then (synchronously) its notification.
    wal.write();
    wal.ownCommit();
    await waitFor('the first look', () => checks >= 1, 2_000, 1);
    await sleep(100);
    expect(checks).toBe(1);
    // Another process's write afterwards is looked at again as before.
    wal.write();
    await waitFor('the looks again', () => checks >= 4, 2_000, 1);
    wal.stop();
  });
});
