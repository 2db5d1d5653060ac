import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { projectPaths } from '../../src/core/project';
import type { Store } from '../../src/core/store/store';
import { type GraphLock, lockGraph } from '../../src/core/upstream-sync/graph-lock';
import { type Context, MOVED, type SettleLoop, settleSteps, type Verdict } from '../../src/core/upstream-sync/settle-loop';
import { NOTHING, type SyncOutcome } from '../../src/core/upstream-sync/sync-outcome';

/*
 * Found by CI: with upstream's wg writing graph.jsonl in a loop and the database busy, the daemon's sync read the file,
 * waited for the store's transaction, found the file replaced meanwhile, and read it again: twelve times, then gave up
 * ("not taken in: it kept changing"). A version found replaced is now read again holding upstream's lock, under which
 * upstream's wg does not write.
 */

const line = (n: number) => `${JSON.stringify({ kind: 'task', id: 'a', title: `A ${n}`, status: 'open' })}\n`;

let root: string;
let wgDir: string;
let store: Store;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-moved-'));
  wgDir = join(root, '.wg');
  mkdirSync(wgDir);
  writeFileSync(join(wgDir, 'graph.jsonl'), line(0));
  store = (await openProjectStore(projectPaths(wgDir))).store;
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** A writer that replaces graph.jsonl between every read and its merge unless upstream's lock is held. */
function busyWriterLoop(looks: Context[]): SettleLoop {
  let writes = 0;
  return {
    store,
    wgDir,
    pending: async () => true,
    gone: async () => NOTHING,
    merge: async (_file, context): Promise<Verdict> => {
      looks.push(context);
      if (context.locked) return { ...NOTHING, fromFile: 1 };
      writes += 1;
      writeFileSync(join(wgDir, 'next.jsonl'), line(writes));
      renameSync(join(wgDir, 'next.jsonl'), join(wgDir, 'graph.jsonl'));
      return MOVED;
    },
  };
}

/** Drives the steps as the daemon does: pauses awaited, the lock taken with lockGraph. */
async function drive(loop: SettleLoop): Promise<{ outcome: SyncOutcome; locks: number }> {
  const steps = settleSteps(loop, 'full');
  let lock: GraphLock | undefined;
  let locks = 0;
  for (;;) {
    const next = await steps.next(lock);
    if (next.done) return { outcome: next.value, locks };
    lock = undefined;
    if ('sleep' in next.value) await new Promise((resolve) => setTimeout(resolve, 1));
    else {
      locks += 1;
      lock = await lockGraph(wgDir, 5_000);
    }
  }
}

describe("a graph.jsonl replaced between its read and the store's transaction", () => {
  it("is read again holding upstream's lock, and taken in then, not given up on", async () => {
    const looks: Context[] = [];
    const { outcome, locks } = await drive(busyWriterLoop(looks));
    expect(outcome.notice).toBeUndefined();
    expect(outcome.fromFile).toBe(1);
    expect(locks).toBe(1);
    expect(looks.map((look) => look.locked)).toEqual([false, true]);
  });

  it('releases the lock it took when done: another taker gets it at once', async () => {
    await drive(busyWriterLoop([]));
    const again = await lockGraph(wgDir, 0);
    again.release();
  });
});
