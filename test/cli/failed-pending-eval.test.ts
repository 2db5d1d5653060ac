import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { TempProject } from '../helpers/wg-cli';

/**
 * failed-pending-eval (upstream: an agent exited without `wg done` and the evaluator decides) leaves
 * by a score (upstream's resolve_failed_pending_eval_tasks: rescued to done at the threshold, else
 * failed), by `wg retry`, or by `wg approve`. Each of these changed nothing before.
 */
const p = new TempProject('wg-fpe-');
beforeAll(async () => {
  await p.ok(['init']);
  const lines = ['low', 'high', 'again', 'approved', 'other'].map((id) =>
    JSON.stringify({ kind: 'task', id, title: `T ${id}`, status: 'failed-pending-eval' }),
  );
  writeFileSync(join(p.root, 'upstream.jsonl'), `${lines.join('\n')}\n`);
  await p.ok(['import', 'upstream.jsonl']);
});
afterAll(() => p.remove());

describe('failed-pending-eval', () => {
  it('a score by hand rescues it at the threshold and fails it below', async () => {
    await p.ok(['evaluate', 'record', 'low', '--score', '0.2']);
    const low = await p.json<Task>(['show', 'low']);
    expect(low).toMatchObject({ status: 'failed', failure_reason: 'eval rescue rejected: score=0.20 < threshold=0.70' });
    expect(low.log.at(-1)?.message).toBe('FailedPendingEval → Failed (eval rejected: score=0.20 < threshold=0.70)');
    await p.ok(['evaluate', 'record', 'high', '--score', '0.95']);
    const high = await p.json<Task>(['show', 'high']);
    expect(high.status).toBe('done');
    expect(high.log.at(-1)?.message).toBe('FailedPendingEval → Done (rescued by eval: score=0.95 ≥ threshold=0.70)');
    // Upstream's marker of a rescue (its coordinator's resolve_failed_pending_eval_tasks), written back to graph.jsonl.
    // (`wg show --json` gives graph.jsonl's kept fields at the top level, as upstream's.)
    expect(high).toMatchObject({ rescued: true });
    expect(low).not.toHaveProperty('rescued');
    expect(await p.ok(['show', 'high'])).toMatch(/^ {2}rescued +true$/m);
  });

  it('wg retry reopens it and wg approve makes it done; approve refuses a task not awaiting a verdict', async () => {
    // A retry does not count an attempt (upstream retry.rs test_retry_preserves_retry_count; wg fail counts).
    expect(await p.json<Task>(['retry', 'again'])).toMatchObject({ status: 'open', retry_count: 0, failure_reason: null });
    const approved = await p.json<Task>(['approve', 'approved']);
    expect(approved.status).toBe('done');
    expect(approved.log.at(-1)?.message).toBe('FailedPendingEval → Done (rescued by eval: score=1.00 ≥ threshold=0.70)');
    const refused = await p.wg(['approve', 'again']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr.trim()).toBe(
      "wg: task 'again' is open, not awaiting approval; only pending-validation, pending-eval and failed-pending-eval tasks can be approved",
    );
    expect((await p.json<Task>(['show', 'other'])).status).toBe('failed-pending-eval');
  });
});
