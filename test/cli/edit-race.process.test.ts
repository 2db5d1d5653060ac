import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/*
 * `wg edit X --add-tag/--add-after` from several processes at once, in a plain project (no upstream):
 * each edit amends the list as it is when its own write happens. Read outside the write, an edit wrote
 * back a list another edit had just changed, and lost that change (5 of 240 tags, 3 of 120 dependencies).
 */

let project: TempProject;
afterEach(() => project.remove());

describe('parallel wg edit of one task', () => {
  it('loses no tag and no dependency when several wg edit --add-tag/--add-after run at once', async () => {
    project = new TempProject('wg-edit-race-');
    await project.ok(['init']);
    const ROUNDS = 25;
    const deps = ['p', 'q'].flatMap((loop) => Array.from({ length: ROUNDS }, (_, i) => `${loop}${i}`));
    const lines = [{ id: 'shared', title: 'Shared' }, ...deps.map((id) => ({ id, title: id }))].map((t) =>
      JSON.stringify({ kind: 'task', status: 'open', ...t }),
    );
    writeFileSync(join(project.root, 'tasks.jsonl'), `${lines.join('\n')}\n`);
    await project.ok(['import', 'tasks.jsonl']);
    const loop = async (edit: (i: number) => string[]) => {
      for (let i = 0; i < ROUNDS; i++) {
        const result = await project.wgProcess(['edit', 'shared', ...edit(i)]);
        if (result.exitCode !== 0) throw new Error(`wg edit failed (${result.exitCode}): ${result.stderr}`);
      }
    };
    await Promise.all([
      loop((i) => ['--add-tag', `a${i}`]),
      loop((i) => ['--add-tag', `b${i}`]),
      loop((i) => ['--add-after', `p${i}`]),
      loop((i) => ['--add-after', `q${i}`]),
    ]);
    const shared = (await project.json<Task[]>(['list'])).find((t) => t.id === 'shared') as Task;
    const tags = ['a', 'b'].flatMap((loop) => Array.from({ length: ROUNDS }, (_, i) => `${loop}${i}`));
    expect([...shared.tags].sort()).toEqual(tags.sort());
    expect([...shared.after].sort()).toEqual([...deps].sort());
    // A hang guard: 100 `wg` starts, four at a time, took over 180 s on a loaded run.
  }, 420_000);
});
