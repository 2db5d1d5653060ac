import { channel } from 'node:diagnostics_channel';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { waitFor } from '../service/helpers/daemon-project';

/*
 * `wg wait` in a running coordinator (upstream coordinator.rs step 2.7, evaluate_waiting_tasks): a parked
 * task is started again once its condition holds, woken by what makes it hold — a commit (task:,
 * message), the wake timer (timer:) or the file watcher (file:) — never by polling: the safety poll is
 * an hour away. The first case is the agent's own path: its run calls `wg wait` and exits.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-wait-release-'));
let host: ProjectHost;

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  mkdirSync(join(root, '.wg'), { recursive: true });
  writeFileSync(join(root, '.wg', 'graph.jsonl'), '');
  writeFileSync(
    join(root, '.wg', 'config.toml'),
    ['[coordinator]', 'executor = "shell"', 'max_agents = 4', 'poll_interval = 3600'].join('\n'),
  );
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  await host.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

const show = (id: string) => host.dispatch('task:show', { id });
const statusIs = (id: string, status: string) => async () => ((await show(id)).status === status ? show(id) : null);

/** Parked by a person on a task held by someone outside (no run of ours), so only the condition matters. */
async function parkedByHand(id: string, until: string): Promise<void> {
  await host.dispatch('task:add', { title: id, id, exec: 'true', paused: true });
  await host.dispatch('task:claim', { id, agent: 'outside', force: true });
  await host.dispatch('task:publish', { id });
  await host.dispatch('task:wait', { id, until });
}

describe('a parked task in a running coordinator', () => {
  it("the agent's own `wg wait`: parked, its run ends, and it runs again (resumed) once the task it waits on is done", async () => {
    const marker = join(root, 'first-run-done');
    await host.dispatch('task:add', { title: 'Dep', id: 'dep', exec: 'true', paused: true });
    await host.dispatch('task:add', {
      title: 'Main',
      id: 'main',
      exec: `if [ -f '${marker}' ]; then exit 0; fi; touch '${marker}'; "$WG_BIN" wait $WG_TASK_ID --until task:dep=done --checkpoint 'half way'`,
    });
    const parked = await waitFor('main parked', statusIs('main', 'waiting'), 20_000);
    expect(parked?.extra.checkpoint).toBe('half way');
    const [first] = (await host.dispatch('agent:list', {})).filter((a) => a.task_id === 'main');
    const agentState = async () => (await host.dispatch('agent:list', {})).find((a) => a.id === first?.id)?.state;
    await waitFor('the parking run ended', async () => (await agentState()) === 'done');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await show('main')).status).toBe('waiting');
    await host.dispatch('task:publish', { id: 'dep' });
    const done = await waitFor('main done', statusIs('main', 'done'), 20_000);
    const log = done?.log.map((e) => e.message) ?? [];
    expect(log).toContain('Agent parked. Waiting for: task:dep=done');
    expect(log).toContain('Wait condition satisfied. Task ready for resume.');
    expect(String(done?.extra.checkpoint)).toContain('half way');
    expect((await host.dispatch('agent:list', {})).filter((a) => a.task_id === 'main')).toHaveLength(2);
  });

  it('timer: released by the wake timer when it ends, not before, and started in the same turn', async () => {
    // The coordinator's turns, as it publishes them (src/core/timing/run-hops.ts): each commit names what it claimed.
    const commits: Array<{ at: number; claimed: string }> = [];
    const hops = channel('workgraph:run-hop');
    const heard = (hop: unknown) => {
      const { event, key } = hop as { event: string; key: string };
      if (event === 'd-commit') commits.push({ at: Date.now(), claimed: key });
    };
    hops.subscribe(heard);
    try {
      const parkedAt = Date.now();
      await parkedByHand('sleepy', 'timer:2s');
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect((await show('sleepy')).status).toBe('waiting');
      await waitFor('sleepy done', statusIs('sleepy', 'done'), 20_000);
      const released = (await show('sleepy')).log.find((e) => e.message.startsWith('Wait condition satisfied'));
      expect(Date.parse(released?.timestamp as string)).toBeGreaterThanOrEqual(parkedAt + 2000);
      // The turn that found the timer over claimed the task it released (its tick read the ready tasks after the
      // release): the first commit from the release on is the one that released it.
      const releasedAt = Date.parse(released?.timestamp as string);
      expect(commits.find((commit) => commit.at >= releasedAt)?.claimed).toMatch(/=sleepy$/);
    } finally {
      hops.unsubscribe(heard);
    }
  });

  it('file: released when the file is written (the folder watcher wakes the coordinator)', async () => {
    await parkedByHand('watcher', 'file:trigger.txt');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await show('watcher')).status).toBe('waiting');
    writeFileSync(join(root, 'trigger.txt'), 'go');
    await waitFor('watcher done', statusIs('watcher', 'done'), 20_000);
  });

  it('human-input: released by a person’s message, not by the agent’s own', async () => {
    await parkedByHand('asker', 'human-input');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await show('asker')).status).toBe('waiting');
    await host.dispatch('msg:send', { task: 'asker', message: 'yes, go ahead' });
    await waitFor('asker done', statusIs('asker', 'done'), 20_000);
  });

  it('a condition that can no longer hold fails the task with the reason', async () => {
    await host.dispatch('task:add', { title: 'Doomed dep', id: 'doomed', exec: 'true', paused: true });
    await parkedByHand('hopeful', 'task:doomed=done');
    await host.dispatch('task:abandon', { id: 'doomed' });
    const failed = await waitFor('hopeful failed', statusIs('hopeful', 'failed'), 20_000);
    expect(failed?.failure_reason).toBe("Wait condition unsatisfiable: task 'doomed' is abandoned (expected done)");
  });
});
