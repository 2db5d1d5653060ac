import { sqlText } from '../helpers/sql-text';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { removeTeamFolders, teamFolders } from '../helpers/team-folders';
import { TempProject } from '../helpers/wg-cli';
import { isZombieOrGone, waitFor } from '../service/helpers/daemon-project';

/*
 * A newer wg (an npm update while the coordinator runs, a run's own `wg` of the newer version) migrates graph.db under
 * a running coordinator of this version. Simulated here by raising the database's version past this build's, as that
 * migration's commit does. The coordinator said nothing and went on claiming by its older rules (a coordinator of the
 * version before worktrees.merge_at_end ran a task on a graph migrated for it); now it says so once and takes no more
 * turns, and the coordinator daemon stops (its runs left running, for the newer one to adopt).
 */
let project: TempProject | null = null;
const { url } = freshSchema('newer');
afterEach(async () => {
  await project?.wg(['service', 'stop']);
  project?.remove();
  project = null;
});

/** The daemon's log says the stop once, and no turn or tick failed after it. */
function expectOneStopLine(log: string, newer: number): void {
  expect(log.split('\n').filter((line) => /newer wg|turn failed|tick failed/.test(line))).toEqual([
    expect.stringContaining(
      `[error] the project's database was upgraded to version ${newer} by a newer wg while this one (${MIGRATIONS.length}) ran; the coordinator stops: start it again with the newer wg (wg service restart)`,
    ),
  ]);
}

describe('a coordinator whose graph.db a newer wg migrated', () => {
  it('says so once and starts nothing more', async () => {
    const p = new TempProject();
    project = p;
    await p.ok(['init']);
    await p.ok(['config', '--max-agents', '1', '--poll-interval', '1']);
    await p.ok(['add', 'Later', '--id', 'later', '--exec', 'true']);
    await p.ok(['pause', 'later']);
    const { pid } = JSON.parse(await p.ok(['service', 'start', '--json'])) as { pid: number };
    const db = join(p.root, '.workgraph', 'graph.db');
    const newer = MIGRATIONS.length + 1;
    const other = new Database(db);
    other.transaction(() => {
      other.pragma(`user_version = ${newer}`);
      other.prepare("UPDATE tasks SET paused = 0 WHERE id = 'later'").run();
    })();
    const log = () => readFileSync(join(p.root, '.workgraph', 'service', 'daemon.log'), 'utf8');
    await waitFor('the line in the log', () => log().includes('newer wg'), 20_000, 100).catch((error: Error) => {
      throw new Error(`${error.message}; the daemon's log:\n${log()}`);
    });
    // The daemon stops; three more turns' time (one a second), were there any.
    await waitFor('the coordinator to stop', () => isZombieOrGone(pid), 20_000, 100);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const status = other.prepare("SELECT status FROM tasks WHERE id = 'later'").get() as { status: string };
    const agents = other.prepare('SELECT count(*) AS n FROM agents').get() as { n: number };
    other.close();
    expect(status.status).toBe('open');
    expect(agents.n).toBe(0);
    expectOneStopLine(log(), newer);
  }, 60_000);

  it("on a team's graph (PostgreSQL): says so once and starts nothing more", async () => {
    const [p] = (await teamFolders(url, 'wg-newer-', ['-x', 'shell'], ['a'])) as [TempProject];
    const store = await Store.open(url);
    try {
      await p.ok(['config', '--max-agents', '1', '--poll-interval', '1', '--worktrees', 'false']);
      const started = await p.wgProcess(['service', 'start', '--json']);
      expect(started.exitCode, started.stderr).toBe(0);
      const { pid } = JSON.parse(started.stdout) as { pid: number };
      const newer = MIGRATIONS.length + 1;
      // A teammate's newer wg migrated the project's schema; then a task is added.
      await store.core.write(() => sqlText(store.core, 'UPDATE schema_version SET version = ?').run(newer));
      await store.tasks.add({ title: 'Later', id: 'later', exec: 'true' }, 'test');
      const log = () => readFileSync(join(p.root, '.workgraph', 'service', 'daemon.log'), 'utf8');
      await waitFor('the line in the log', () => log().includes('newer wg'), 20_000, 100).catch((error: Error) => {
        throw new Error(`${error.message}; the daemon's log:\n${log()}`);
      });
      await waitFor('the coordinator to stop', () => isZombieOrGone(pid), 20_000, 100);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      // It gave up its lease as a stop does: the project's coordinators list it stopped, not active.
      const rows = await sqlText<{ released: unknown }>(store.core, 'SELECT expires_at < renewed_at AS released FROM coordinators').all();
      expect(rows.map((row) => Boolean(row.released))).toEqual([true]);
      expect((await store.get('later')).status).toBe('open');
      expectOneStopLine(log(), newer);
    } finally {
      await store.close();
      await removeTeamFolders([p]);
    }
  }, 90_000);
});
