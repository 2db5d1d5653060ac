import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { waitFor } from '../service/helpers/daemon-project';

const root = mkdtempSync(join(tmpdir(), 'wg-waiting-'));
let host: ProjectHost;
beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  await host.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

const notices = async (id: string) =>
  (await host.dispatch('task:show', { id })).log.map((e) => e.message).filter((m) => m.startsWith('Waiting for a person'));

describe('tasks nothing starts by itself', () => {
  it('a ready manual task says, once, that it waits for a person and how to start it', async () => {
    await host.dispatch('task:add', { title: 'Sign the contract', id: 'sign', executor: 'manual' });
    const said = await waitFor('the notice', async () => ((await notices('sign')).length > 0 ? notices('sign') : null));
    expect(said).toEqual([
      'Waiting for a person: its executor is manual, so nothing starts it; do it and run `wg done sign`, or start an agent on it with `wg spawn sign`',
    ]);
    // More turns go by: still said once.
    await host.dispatch('task:add', { title: 'Other', id: 'other', executor: 'manual', paused: true });
    await host.dispatch('task:log', { id: 'other', message: 'a change' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await notices('sign')).toHaveLength(1);
    // Not ready (paused) tells nothing; once published, it does.
    expect(await notices('other')).toEqual([]);
    await host.dispatch('task:publish', { id: 'other' });
    await waitFor('the second notice', async () => (await notices('other')).length === 1);
  });

  it("an upstream system task that is ready says so too, and is not started", async () => {
    await host.dispatch('graph:import', { jsonl: '{"kind":"task","id":".assign-x","title":"Assign agent for x","status":"open"}' });
    const said = await waitFor('the notice', async () => ((await notices('.assign-x')).length > 0 ? notices('.assign-x') : null));
    expect(said[0]).toMatch(/^Waiting for a person: upstream's system tasks are not started by this app; start an agent on it with `wg spawn \.assign-x`/);
    expect((await host.dispatch('task:show', { id: '.assign-x' })).status).toBe('open');
    expect((await host.dispatch('agent:list', {})).filter((a) => a.task_id === '.assign-x')).toEqual([]);
  });
});
