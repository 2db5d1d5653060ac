// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/postgres-server';
import { coordinatorPidOf, removeTeamFolders, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { exists } from '../service/helpers/daemon-project';
import { until } from '../helpers/until';
import { heldCommitWaiting, holdCommits, wakeCoordinators } from './support/held-commit';

/*
 * A coordinator frozen (SIGSTOP) after its claim of a task has committed and before it started the run: the other
 * declares it lost and takes the run over, finds no process (none was started), and retries the task, which runs
 * there. Woken, the frozen one must not start its run now: it is no longer its own, and its command would run twice.
 *
 * The freeze is made to fall in that moment on purpose: a deferred trigger makes the claim's commit of this one task
 * wait on the server, the test freezes the coordinator while its commit waits there, and the commit then completes
 * while it is frozen.
 */

const { url, schema, psql } = freshSchema('frozen');
const sql = (text: string) => psql(`SET search_path = ${schema}; ${text}`).trim();
let folders: TempProject[] = [];
const shared = mkdtempSync(join(tmpdir(), 'wg-frozen-'));
const out = join(shared, 'ran');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The claim of a task 'slow…' waits on the server to commit (held below): the moment to freeze its coordinator. */
const claimCommitting = () => heldCommitWaiting(sql, 'slow_claim', 'the claim committing');

beforeAll(async () => {
  folders = await teamFolders(url, 'wg-frozen-', ['-x', 'shell']);
  // The claim of a task 'slow…' commits only after a wait on the server (its run's row checked at the commit).
  holdCommits(sql, 'slow_claim', "NEW.task_id LIKE 'slow%' AND NEW.purpose = 'task'");
}, 120_000);

afterAll(async () => {
  wakeCoordinators(folders);
  await removeTeamFolders(folders);
  rmSync(shared, { recursive: true, force: true });
}, 120_000);

describe('a coordinator frozen between its claim and its run', () => {
  it('starts the run once woken only after a renewal of its lease, when it was not declared lost meanwhile', async () => {
    const [a] = folders as [TempProject];
    const started = await a.wgProcess(['service', 'start']);
    expect(started.exitCode, started.stderr).toBe(0);
    const frozen = coordinatorPidOf(a);
    await a.ok(['add', 'Slow to claim, briefly frozen', '--id', 'slow-brief', '--exec', `echo slow-brief >> ${out}`]);
    await claimCommitting();
    process.kill(frozen, 'SIGSTOP');
    // Longer than its lease, shorter than the lease and the grace: no other coordinator would have taken it over yet.
    await sleep(8_000);
    process.kill(frozen, 'SIGCONT');
    await until('the task done', () => sql("SELECT status FROM tasks WHERE id = 'slow-brief'") === 'done', 30_000);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(['slow-brief']);
    expect(exists(frozen)).toBe(true);
  }, 120_000);

  it('does not start the run once woken: the other ran it, once', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const frozen = coordinatorPidOf(a);
    rmSync(out, { force: true });
    await a.ok(['add', 'Slow to claim', '--id', 'slow', '--exec', `sleep 0.2; echo slow >> ${out}`]);
    // Its commit waits on the server: frozen then, the coordinator has the commit's answer only once woken.
    await claimCommitting();
    process.kill(frozen, 'SIGSTOP');
    await until('the claim committed', () => sql("SELECT count(*) FROM agents WHERE task_id = 'slow'") === '1', 10_000, 50);
    expect(existsSync(out)).toBe(false);

    // The other declares it lost, takes its run over (no process: none started) and runs the task again.
    const other = await b.wgProcess(['service', 'start']);
    expect(other.exitCode, other.stderr).toBe(0);
    await until('the task run by the other', () => existsSync(out) && sql("SELECT status FROM tasks WHERE id = 'slow'") === 'done', 60_000);

    // Woken: it must not start its run now.
    process.kill(frozen, 'SIGCONT');
    await until('the woken coordinator to stop', () => !exists(frozen), 30_000);
    // What it would have started would have appended within this.
    await sleep(2_000);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toEqual(['slow']);
    expect(sql("SELECT count(*) FROM agents WHERE task_id = 'slow' AND state = 'done'")).toBe('1');
  }, 120_000);
});
