import { afterAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Task } from '../../src/shared/task';
import { REPO, TempProject } from '../helpers/wg-cli';

const p = new TempProject();
afterAll(() => p.remove());

/** A writer process that opens the store directly, as the daemon does. */
const WRITER = `
import { Store } from '${REPO}/src/core/store/store.ts';
const [db, name, count] = process.argv.slice(2);
const store = new Store(db);
for (let i = 0; i < Number(count); i++) {
  store.tasks.log('shared', name + ' ' + i, name);
  store.tasks.add({ title: name + ' task ' + i }, name);
}
store.close();
`;

describe('concurrent writers', () => {
  it('loses no update when several processes write at once', async () => {
    await p.ok(['init']);
    await p.ok(['add', 'Shared']);
    const script = join(p.root, 'writer.ts');
    writeFileSync(script, WRITER);
    const db = join(p.root, '.workgraph/graph.db');
    const perWriter = 150;
    const writers = ['w1', 'w2', 'w3', 'w4'].map((name) =>
      execa('node', ['--import', 'tsx', script, db, name, String(perWriter)], { cwd: REPO }),
    );
    // CLI processes write at the same moment as the direct writers.
    const cli = Array.from({ length: 6 }, async (_, i) => {
      const result = await p.wgProcess(['log', 'shared', `cli ${i}`]);
      if (result.exitCode !== 0) throw new Error(`wg log failed (${result.exitCode}): ${result.stderr}`);
    });
    await Promise.all([...writers, ...cli]);
    const shared = await p.json<Task>(['show', 'shared']);
    expect(shared.log.filter((l) => l.message.startsWith('w')).length).toBe(4 * perWriter);
    expect(shared.log.filter((l) => l.message.startsWith('cli')).length).toBe(6);
    const tasks = await p.json<Task[]>(['list']);
    expect(tasks.length).toBe(1 + 4 * perWriter);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
  });
});
