// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../helpers/postgres-server';
import { coordinatorIdOf, coordinatorPidOf, removeTeamFolders, teamFolders } from '../helpers/team-folders';
import type { TempProject } from '../helpers/wg-cli';
import { exists } from '../service/helpers/daemon-project';
import { until } from '../helpers/until';
import { heldCommitWaiting, holdCommits, wakeCoordinators } from './support/held-commit';

/*
 * The evaluator's run, an internal run, claimed in the store like a task's: a coordinator frozen (SIGSTOP) after
 * the claim of its evaluator run committed and before it started the process is declared lost by the other, which
 * takes the run over (no process: none was started) and evaluates the task itself. Woken, the frozen one must not
 * start its evaluator now: the task would be evaluated twice.
 *
 * The freeze falls in that moment as in frozen-claim.process.test.ts: a deferred trigger makes the commit of the
 * frozen one's evaluator run wait on the server. The evaluator's CLI is a script standing in for Claude Code (the
 * question here is whether a process starts, not what it answers): it notes the folder it ran in, and answers a score.
 */

const { url, schema, psql } = freshSchema('frozeneval');
const sql = (text: string) => psql(`SET search_path = ${schema}; ${text}`).trim();
let folders: TempProject[] = [];
const shared = mkdtempSync(join(tmpdir(), 'wg-frozen-eval-'));
const ran = join(shared, 'evaluated');
const evaluator = join(shared, 'claude');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  const answer = JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: '{"score": 0.9, "notes": "fine"}' });
  writeFileSync(evaluator, `#!/bin/sh\ncat >/dev/null\npwd >> ${ran}\necho '${answer}'\n`);
  chmodSync(evaluator, 0o755);
  folders = await teamFolders(url, 'wg-frozen-eval-', ['-x', 'shell']);
}, 120_000);

afterAll(async () => {
  wakeCoordinators(folders);
  await removeTeamFolders(folders);
  rmSync(shared, { recursive: true, force: true });
}, 120_000);

const env = { WG_CLAUDE_BIN: evaluator };

/** An evaluator run of the first coordinator waits on the server to commit: the moment to freeze it. */
const evaluatorCommitting = () => heldCommitWaiting(sql, 'slow_eval', 'the evaluator run committing');

describe('a coordinator frozen between the claim of its evaluator run and its start', () => {
  beforeAll(async () => {
    const [a] = folders as [TempProject];
    const started = await a.wgProcess(['service', 'start'], { env });
    expect(started.exitCode, started.stderr).toBe(0);
    // This coordinator's evaluator runs commit only after a wait on the server.
    holdCommits(sql, 'slow_eval', `NEW.purpose = 'evaluate' AND NEW.coordinator_id = '${coordinatorIdOf(a)}'`);
  }, 120_000);

  it('starts it once woken only after a renewal of its lease, when it was not declared lost meanwhile', async () => {
    const [a] = folders as [TempProject];
    const frozen = coordinatorPidOf(a);
    await a.ok(['add', 'Brief', '--id', 'brief', '--exec', 'true']);
    await a.ok(['add', 'Evaluate brief', '--id', '.evaluate-brief', '--after', 'brief']);
    await evaluatorCommitting();
    process.kill(frozen, 'SIGSTOP');
    // Longer than its lease, shorter than the lease and the grace: no other coordinator would have taken it over yet.
    await sleep(8_000);
    process.kill(frozen, 'SIGCONT');
    await until('the task evaluated', () => sql("SELECT status FROM tasks WHERE id = '.evaluate-brief'") === 'done', 30_000);
    expect(readFileSync(ran, 'utf8')).toBe(`${a.root}\n`);
    // The run it had claimed, not another asked for after that one was given up.
    expect(sql("SELECT count(*) FROM agents WHERE task_id = 'brief' AND purpose = 'evaluate'")).toBe('1');
    rmSync(ran);
  }, 120_000);

  it('does not start it once woken: the other evaluated the task, once', async () => {
    const [a, b] = folders as [TempProject, TempProject];
    const frozen = coordinatorPidOf(a);
    await a.ok(['add', 'Work', '--id', 'work', '--exec', 'true']);
    // Upstream's `.evaluate-X`: the coordinator that claims it runs the evaluator on X.
    await a.ok(['add', 'Evaluate work', '--id', '.evaluate-work', '--after', 'work']);
    await evaluatorCommitting();
    process.kill(frozen, 'SIGSTOP');
    await until(
      'its claim committed',
      () => sql("SELECT count(*) FROM agents WHERE purpose = 'evaluate' AND task_id = 'work'") === '1',
      10_000,
      50,
    );
    expect(existsSync(ran)).toBe(false);

    // The other declares it lost, takes its evaluator run over (no process: none started) and evaluates the task.
    const other = await b.wgProcess(['service', 'start'], { env });
    expect(other.exitCode, other.stderr).toBe(0);
    await until('the task evaluated by the other', () => sql("SELECT status FROM tasks WHERE id = '.evaluate-work'") === 'done', 60_000);

    // Woken: it must not start its evaluator now.
    process.kill(frozen, 'SIGCONT');
    await until('the woken coordinator to stop', () => !exists(frozen), 30_000);
    // What it would have started would have noted itself within this.
    await sleep(2_000);
    const evaluations = existsSync(ran) ? readFileSync(ran, 'utf8').trim().split('\n') : [];
    expect(evaluations).not.toContain(a.root);
    expect(evaluations.length).toBeLessThanOrEqual(1);
  }, 120_000);
});
