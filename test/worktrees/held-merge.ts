import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { GitProject } from './git-project';

/**
 * Holds a merge in `p` for 3 s once main has moved, before the person's checkout is brought along: a
 * reference-transaction hook that first leaves a mark. Returns the mark's path, there once main has moved.
 */
export function holdMergeAfterMainMoves(p: GitProject): string {
  const reached = join(p.root, 'main-moved');
  const hook = join(p.dir, '.git', 'hooks', 'reference-transaction');
  writeFileSync(
    hook,
    `#!/bin/sh
[ "$1" = committed ] || exit 0
while read -r old new ref; do
  [ "$ref" = refs/heads/main ] && [ ! -e '${reached}' ] && touch '${reached}' && sleep 3
done
exit 0
`,
  );
  chmodSync(hook, 0o755);
  return reached;
}

/** The task's merge is whole: main has its commit, no merge is left pending, and the checkout has its file, clean. */
export function expectMergedWhole(p: GitProject, task: string): void {
  expect(p.git(['log', '-1', '--format=%s', 'main'])).toMatch(new RegExp(`^feat: ${task} `));
  expect(existsSync(join(p.dir, '.git', 'wg-merge-pending.json'))).toBe(false);
  expect(p.read(`${task}.txt`)).toBe(`${task}\n`);
  expect(
    p.git(['status', '--porcelain=v1', '--', '.', ':!.wg-worktrees', ':!.workgraph', ':!.gitignore']).split('\n').filter(Boolean),
  ).toEqual([]);
}
