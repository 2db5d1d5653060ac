import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { DeadAgentsResult } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { newRun } from '../../src/core/store/agent-records';
import { Store } from '../../src/core/store/store';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { TempProject } from '../helpers/wg-cli';

/*
 * A task in progress on a run that has ended (an older graph.jsonl written back made one, before the
 * sync refused such versions) is held by nobody: `wg dead-agents --cleanup` and a coordinator's start
 * requeue it. A claim by a name that is no run here is left alone.
 */

let p: TempProject;
afterEach(async () => {
  await p.wg(['service', 'stop']);
  p.remove();
});

async function heldByEndedRun(): Promise<string> {
  p = new TempProject('wg-ended-claims-');
  await p.ok(['init']);
  await p.ok(['add', 'Orphan', '--id', 'orphan', '--paused']);
  await p.ok(['add', 'Claimed', '--id', 'claimed', '--paused']);
  await p.ok(['claim', 'claimed', '--agent', 'someone', '--force']);
  const store = await Store.open(join(p.root, '.workgraph/graph.db'));
  try {
    return await store.core.write(async (rev) => {
      const id = await store.agents.nextId();
      const at = store.core.nowIso();
      const run: Agent = newRun(
        id,
        { task_id: 'orphan', executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null },
        at,
        rev,
      );
      await store.agents.insert(run, null);
      await transition(
        store.core,
        await requireTaskRow(store.core, 'orphan'),
        { status: 'in-progress', assigned: id, started_at: at },
        rev,
      );
      await store.agents.end(id, { state: 'done', ended_at: at, exit_code: 0, reason: null }, rev);
      return id;
    });
  } finally {
    await store.close();
  }
}

describe('a task in progress on a run that has ended', () => {
  it('is requeued by wg dead-agents --cleanup, with a line in its log', async () => {
    const agent = await heldByEndedRun();
    expect(await p.json<Task>(['show', 'orphan'])).toMatchObject({ status: 'in-progress', assigned: agent });
    const cleaned = await p.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
    expect(cleaned.cleaned).toBe(1);
    const orphan = await p.json<Task>(['show', 'orphan']);
    expect(orphan).toMatchObject({ status: 'open', assigned: null });
    expect(orphan.log.at(-1)?.message).toBe(`In progress on ${agent}, a run that has ended (done); task requeued`);
    expect(await p.json<Task>(['show', 'claimed'])).toMatchObject({ status: 'in-progress', assigned: 'someone' });
  });

  it("is requeued by the coordinator's start", async () => {
    const agent = await heldByEndedRun();
    const started = await p.wg(['service', 'start', '--executor', 'shell']);
    expect(started.exitCode, started.stderr).toBe(0);
    const orphan = await p.json<Task>(['show', 'orphan']);
    expect(orphan).toMatchObject({ status: 'open', assigned: null });
    expect(orphan.log.at(-1)?.message).toContain(`In progress on ${agent}, a run that has ended`);
    expect(await p.json<Task>(['show', 'claimed'])).toMatchObject({ status: 'in-progress', assigned: 'someone' });
  });
});
