import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { waitFor } from '../service/helpers/daemon-project';

/*
 * Upstream's ready_after (a loop's delay, `wg incomplete`'s retry delay) in a running coordinator: the
 * task starts when its time comes, by the coordinator's wake timer (the safety poll is an hour away),
 * not before. Upstream: src/query.rs test_is_time_ready_future_ready_after / _past_ready_after.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-ready-after-'));
let host: ProjectHost;

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  mkdirSync(join(root, '.wg'), { recursive: true });
  writeFileSync(join(root, '.wg', 'graph.jsonl'), '');
  writeFileSync(
    join(root, '.wg', 'config.toml'),
    ['[coordinator]', 'executor = "shell"', 'max_agents = 2', 'poll_interval = 3600'].join('\n'),
  );
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  await host.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

describe('a task with a ready_after in a running coordinator', () => {
  it('starts when its ready_after comes, not before', async () => {
    // Far enough ahead that the import itself (a loaded machine took over a second and a half) ends before it.
    const readyAfter = new Date(Date.now() + 5000);
    await host.dispatch('graph:import', {
      jsonl: JSON.stringify({
        kind: 'task',
        id: 'delayed',
        title: 'Delayed',
        status: 'open',
        exec: 'true',
        ready_after: readyAfter.toISOString(),
      }),
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await host.dispatch('task:show', { id: 'delayed' })).status).toBe('open');
    const done = await waitFor(
      'the delayed run',
      async () => {
        const task = await host.dispatch('task:show', { id: 'delayed' });
        return task.status === 'done' ? task : null;
      },
      15_000,
    );
    const [agent] = (await host.dispatch('agent:list', {})).filter((a) => a.task_id === 'delayed');
    expect(Date.parse(agent?.started_at as string)).toBeGreaterThanOrEqual(readyAfter.getTime());
    expect(done.status).toBe('done');
  });
});
