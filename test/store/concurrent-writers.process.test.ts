import { sqlText } from '../helpers/sql-text';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../../src/core/store/store';
import type { Task } from '../../src/shared/task';
import { bundledScript } from '../helpers/bundled-script';
import { REPO, TempProject } from '../helpers/wg-cli';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';
import { ALL_STORE_KINDS } from '../helpers/temp-store';

let server: PgServer;
beforeAll(() => {
  server = startPostgresServer();
});
afterAll(() => server.stop());

/**
 * A writer process that opens the store directly, as the daemon does: logs to a shared task, adds tasks,
 * and moves a counter on by reading it and writing it back in one batch (a lost update shows as a count short).
 */
const WRITER = `
import { Store } from '${REPO}/src/core/store/store.ts';
const [db, name, count] = process.argv.slice(2);
const store = await Store.open(db);
for (let i = 0; i < Number(count); i++) {
  await store.tasks.log('shared', name + ' ' + i, name);
  await store.tasks.add({ title: name + ' task ' + i }, name);
  // A batch holds the project's write turn from its start, before its first read (and before any revision).
  await store.core.batch(async () => {
    const { core } = store;
    const seen = (await core.get(core.build.selectFrom('meta').select('value').where('key', '=', 'counted'))).value;
    await core.run(core.build.updateTable('meta').set({ value: Number(seen) + 1 }).where('key', '=', 'counted'));
  });
}
await store.close();
`;

describe.each(ALL_STORE_KINDS)('concurrent writers on %s', (kind) => {
  const p = new TempProject();
  afterAll(() => p.remove());

  it('loses no update when several processes write at once', async () => {
    const url = server.url({ schema: `writers_${process.pid}` });
    const env: Record<string, string> = kind === 'postgres' ? { WG_STORE_URL: url } : {};
    await p.ok(['init']);
    const db = kind === 'postgres' ? url : join(p.root, '.workgraph/graph.db');
    // The counter is set and read in this process: the writers racing each other are the processes that matter.
    const setUp = await Store.open(db);
    await setUp.core.write(() => sqlText(setUp.core, "INSERT INTO meta (key, value) VALUES ('counted', 0)").run());
    await setUp.close();
    await p.wg(['add', 'Shared'], { env });
    const source = join(p.root, 'writer.ts');
    writeFileSync(source, WRITER);
    const script = await bundledScript(source);
    onTestFinished(() => rmSync(script, { force: true }));
    const perWriter = 150;
    const writers = ['w1', 'w2', 'w3', 'w4'].map((name) => execa(process.execPath, [script, db, name, String(perWriter)], { cwd: REPO }));
    // CLI processes write at the same moment as the direct writers.
    const cli = Array.from({ length: 6 }, async (_, i) => {
      const result = await p.wgProcess(['log', 'shared', `cli ${i}`], { env });
      if (result.exitCode !== 0) throw new Error(`wg log failed (${result.exitCode}): ${result.stderr}`);
    });
    await Promise.all([...writers, ...cli]);
    const show = await p.wg(['show', 'shared', '--json'], { env });
    const shared = JSON.parse(show.stdout) as Task;
    expect(shared.log.filter((l) => l.message.startsWith('w')).length).toBe(4 * perWriter);
    expect(shared.log.filter((l) => l.message.startsWith('cli')).length).toBe(6);
    const tasks = JSON.parse((await p.wg(['list', '--json'], { env })).stdout) as Task[];
    expect(tasks.length).toBe(1 + 4 * perWriter);
    expect(new Set(tasks.map((t) => t.id)).size).toBe(tasks.length);
    const reader = await Store.open(db);
    const counted = (await sqlText<{ value: number }>(reader.core, "SELECT value FROM meta WHERE key = 'counted'").get())?.value;
    await reader.close();
    expect(Number(counted)).toBe(4 * perWriter);
  }, 240_000);
});
