import { spawnSync } from 'node:child_process';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { DeadAgentsResult } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { newRun } from '../../src/core/store/agent-records';
import { Store } from '../../src/core/store/store';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject('wg-claim-');
beforeAll(async () => {
  await p.ok(['init']);
  await p.ok(['add', 'Base']);
  await p.ok(['add', 'Next', '--after', 'base']);
  await p.ok(['add', 'Held', '--paused']);
});
afterAll(() => p.remove());

describe('wg claim', () => {
  it('refuses a task that is not ready, saying what it waits for, unless --force', async () => {
    const blocked = await p.wg(['claim', 'next', '--agent', 'me']);
    expect(blocked.exitCode).not.toBe(0);
    expect(blocked.stderr.trim()).toBe("wg: task 'next' is not ready: it waits for base (open); claim it anyway with --force");
    const paused = await p.wg(['claim', 'held', '--agent', 'me']);
    expect(paused.stderr.trim()).toBe("wg: task 'held' is paused (wg publish held to release it); claim it anyway with --force");
    expect((await p.json<Task>(['show', 'next'])).status).toBe('open');
    const forced = await p.json<Task>(['claim', 'next', '--agent', 'me', '--force']);
    expect(forced).toMatchObject({ status: 'in-progress', assigned: 'me' });
    expect(forced.log.at(-1)?.message).toBe('Claimed by me (forced)');
    expect((await p.json<Task>(['claim', 'base', '--agent', 'me'])).status).toBe('in-progress');
    await p.ok(['done', 'base']);
    expect((await p.wg(['claim', 'base', '--agent', 'me', '--force'])).stderr.trim()).toBe("wg: task 'base' is already done");
  });
});

describe('wg dead-agents without a coordinator', () => {
  it('finds agents whose process is gone by their pids, and --cleanup requeues their tasks', async () => {
    await p.ok(['add', 'Crashed']);
    await p.ok(['add', 'Alive']);
    // Two runs as a coordinator would have left them: one whose process died, one still running.
    const gone = spawnSync('true').pid as number;
    const alive = spawnSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const alivePid = Number(alive.stdout.trim());
    const store = await Store.open(join(p.root, '.workgraph/graph.db'));
    for (const [task, pid] of [
      ['crashed', gone],
      ['alive', alivePid],
    ] as const) {
      await store.core.write(async (rev) => {
        const id = await store.agents.nextId();
        const run: Agent = {
          ...newRun(
            id,
            { task_id: task, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null },
            store.core.nowIso(),
            rev,
          ),
          pid,
        };
        await store.agents.insert(run, null);
        await store.agents.setPids([[id, pid]], rev);
        await transition(store.core, await requireTaskRow(store.core, task), { status: 'in-progress', assigned: id }, rev);
      });
    }
    await store.close();
    try {
      const listed = await p.json<DeadAgentsResult>(['dead-agents']);
      expect(listed.dead.map((a) => [a.task_id, a.reason])).toEqual([['crashed', `process ${gone} is gone`]]);
      expect((await p.json<Task>(['show', 'crashed'])).status).toBe('in-progress');
      const cleaned = await p.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
      expect(cleaned).toMatchObject({ cleaned: 1, dead: [{ task_id: 'crashed', state: 'dead' }] });
      expect(await p.json<Task>(['show', 'crashed'])).toMatchObject({ status: 'open', assigned: null });
      expect((await p.json<Task>(['show', 'alive'])).status).toBe('in-progress');
      expect((await p.json<Agent[]>(['agents', '--alive'])).map((a) => a.task_id)).toEqual(['alive']);
    } finally {
      process.kill(alivePid);
    }
  });

  it('finds a run killed while no coordinator ran (its status was written, nobody recorded it) and a pid given to a new process', async () => {
    await p.ok(['add', 'Killed']);
    await p.ok(['add', 'Reused']);
    const gone = spawnSync('true').pid as number;
    const other = spawnSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const otherPid = Number(other.stdout.trim());
    const store = await Store.open(join(p.root, '.workgraph/graph.db'));
    const ids: Record<string, string> = {};
    for (const [task, pid, exit] of [
      ['killed', gone, '137\n'],
      ['reused', otherPid, null],
    ] as const) {
      const dir = join(p.root, 'runs-by-hand', task);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'pid'), `${pid}\n`);
      // The run recorded its pid an hour ago: a process with that pid that started just now is another one.
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(dir, 'pid'), anHourAgo, anHourAgo);
      if (exit !== null) writeFileSync(join(dir, 'exit'), exit);
      await store.core.write(async (rev) => {
        const id = await store.agents.nextId();
        ids[task] = id;
        await store.agents.insert(
          {
            ...newRun(
              id,
              { task_id: task, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: dir },
              store.core.nowIso(),
              rev,
            ),
            pid,
          },
          null,
        );
        await store.agents.setPids([[id, pid]], rev);
        await transition(store.core, await requireTaskRow(store.core, task), { status: 'in-progress', assigned: id }, rev);
      });
    }
    await store.close();
    try {
      // (The first test's live run was stopped in its finally.)
      expect((await p.json<Agent[]>(['agents', '--alive'])).map((a) => a.task_id)).not.toContain('killed');
      expect((await p.json<Agent[]>(['agents', '--alive'])).map((a) => a.task_id)).not.toContain('reused');
      const shown = await p.json<Agent[]>(['agents']);
      expect(shown.find((a) => a.task_id === 'killed')).toMatchObject({
        state: 'dead',
        reason: `process ${gone} was killed (SIGKILL) while no coordinator ran`,
      });
      const cleaned = await p.json<DeadAgentsResult>(['dead-agents', '--cleanup']);
      expect(cleaned.dead.filter((a) => a.task_id === 'killed' || a.task_id === 'reused').map((a) => [a.task_id, a.reason])).toEqual([
        ['killed', `process ${gone} was killed (SIGKILL) while no coordinator ran`],
        ['reused', `process ${otherPid} is gone`],
      ]);
      expect(await p.json<Task>(['show', 'killed'])).toMatchObject({ status: 'open', assigned: null });
      expect(await p.json<Task>(['show', 'reused'])).toMatchObject({ status: 'open', assigned: null });
    } finally {
      process.kill(otherPid);
    }
  });
});
