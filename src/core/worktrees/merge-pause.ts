import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The moments of a merge a crash test stops at: before the base branch moves, and after it moved but before anything is recorded. */
export type MergePausePoint = 'before-ref' | 'after-ref';

/**
 * For crash tests only: with WG_TEST_MERGE_PAUSE=<folder> set, a merge reaching `point` writes
 * `<folder>/<point>.reached` (holding its pid) and waits until `<folder>/<point>.go` exists, so a test
 * can kill the process at exactly that moment instead of sleeping and hoping. Unset (always, outside
 * tests), it costs one environment lookup.
 */
export async function mergePause(point: MergePausePoint): Promise<void> {
  const folder = process.env.WG_TEST_MERGE_PAUSE;
  if (!folder) return;
  // Written aside and renamed: a test that sees the file must also see the pid in it (a plain write
  // let the test read it between its creation and its content, and read pid 0).
  const reached = join(folder, `${point}.reached`);
  writeFileSync(`${reached}.${process.pid}`, `${process.pid}\n`);
  renameSync(`${reached}.${process.pid}`, reached);
  // A short poll: the waiting process is about to be killed, and fs.watch of a test's tmp folder is no more exact.
  while (!existsSync(join(folder, `${point}.go`))) await new Promise((resolve) => setTimeout(resolve, 20));
}
