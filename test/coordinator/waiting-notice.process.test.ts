import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it("an upstream .verify-x is started like any task (upstream's coordinator gives it an agent), nobody asked (issue 25)", async () => {
    // Upstream coordinator.rs build_flip_verification_tasks: `.verify-X` is an ordinary open task (its instructions
    // in the description) that the dispatcher spawns an agent on; here a shell command stands for the agent.
    await host.dispatch('graph:import', {
      jsonl: [
        '{"kind":"task","id":"vx","title":"X","status":"done"}',
        '{"kind":"task","id":".verify-vx","title":"Verify (FLIP 0.41): X","status":"open","after":["vx"],"exec":"true"}',
      ].join('\n'),
    });
    await waitFor('.verify-vx done', async () => (await host.dispatch('task:show', { id: '.verify-vx' })).status === 'done');
    expect(await notices('.verify-vx')).toEqual([]);
    expect((await host.dispatch('agent:list', {})).filter((a) => a.task_id === '.verify-vx')).toHaveLength(1);
  });

  it('a system task this app neither runs nor starts (its own .merge-x) still says it waits for a person', async () => {
    await host.dispatch('graph:import', { jsonl: '{"kind":"task","id":".merge-x","title":"Merge x","status":"open"}' });
    const said = await waitFor('the notice', async () => ((await notices('.merge-x')).length > 0 ? notices('.merge-x') : null));
    expect(said[0]).toMatch(
      /^Waiting for a person: upstream's system tasks are not started by this app; start an agent on it with `wg spawn \.merge-x`/,
    );
    expect((await host.dispatch('task:show', { id: '.merge-x' })).status).toBe('open');
    expect((await host.dispatch('agent:list', {})).filter((a) => a.task_id === '.merge-x')).toEqual([]);
  });

  it('an upstream .assign-/.flip- task is run by the coordinator, never left waiting for a person (issue 25)', async () => {
    await host.dispatch('graph:import', {
      jsonl: [
        '{"kind":"task","id":".assign-y","title":"Assign agent for y","status":"open"}',
        '{"kind":"task","id":"y","title":"Y","status":"open","executor":"manual","after":[".assign-y"]}',
        '{"kind":"task","id":"z","title":"Z","status":"done"}',
        '{"kind":"task","id":".flip-z","title":"FLIP: z","status":"open","after":["z"]}',
      ].join('\n'),
    });
    for (const id of ['.assign-y', '.flip-z']) {
      await waitFor(`${id} done`, async () => (await host.dispatch('task:show', { id })).status === 'done');
      expect(await notices(id)).toEqual([]);
    }
    await waitFor('y waiting for a person', async () => (await notices('y')).length === 1);
  });
});

describe('with a manual default executor', () => {
  it("still runs upstream's .assign-/.flip- tasks and asks nobody about them (issue 25)", async () => {
    const other = mkdtempSync(join(tmpdir(), 'wg-waiting-manual-'));
    mkdirSync(join(other, '.workgraph'));
    writeFileSync(join(other, '.workgraph', 'config.toml'), '[coordinator]\nexecutor = "manual"\n');
    const manualHost = await openProjectHost(other, { createIfMissing: true });
    try {
      await manualHost.dispatch('graph:import', {
        jsonl: [
          '{"kind":"task","id":"z","title":"Z","status":"done"}',
          '{"kind":"task","id":".flip-z","title":"FLIP: z","status":"open","after":["z"]}',
          '{"kind":"task","id":".assign-w","title":"Assign agent for w","status":"open"}',
        ].join('\n'),
      });
      for (const id of ['.flip-z', '.assign-w']) {
        await waitFor(`${id} done`, async () => (await manualHost.dispatch('task:show', { id })).status === 'done');
        const log = (await manualHost.dispatch('task:show', { id })).log.map((e) => e.message);
        expect(log.filter((m) => m.startsWith('Waiting for a person'))).toEqual([]);
      }
    } finally {
      await manualHost.close({ stopAgents: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
