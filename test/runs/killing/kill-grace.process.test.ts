import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DaemonProject, waitFor } from '../../service/helpers/daemon-project';

/**
 * As docs/runs.md says ("wg kill (SIGTERM, 5 s, then SIGKILL)"), a command that cleans up on SIGTERM and goes on has
 * its 5 s. Its run's wrapper goes at the first SIGTERM and the run ends; the sweep of what finished runs leave running
 * must not kill it sooner with a grace of its own.
 */
const p = new DaemonProject('wg-kill-grace-');
const marks = () => join(p.root, 'marks');

beforeAll(async () => {
  await p.init();
  await p.start(['--executor', 'shell']);
});
afterAll(() => p.remove());

describe('a run that handles SIGTERM', () => {
  it('keeps going through the 5 s grace of wg kill, however its run ended meanwhile', async () => {
    const script = [
      `trap 'echo term $(date +%s%N) >> ${marks()}' TERM`,
      `echo start $(date +%s%N) >> ${marks()}`,
      `while :; do echo tick $(date +%s%N) >> ${marks()}; sleep 0.2; done`,
    ].join('; ');
    await p.ok(['add', 'Cleans up', '--id', 'cleans', '--exec', script]);
    const agent = await waitFor('the run at work', async () =>
      (await p.agentsOf('cleans')).find((a) => a.state === 'working' && a.pid !== null),
    );
    // The run is recorded working before its shell has written a line: the file may not be there yet.
    await waitFor('its first tick', () => (existsSync(marks()) && readFileSync(marks(), 'utf8').includes('tick')) || null);
    await p.ok(['kill', agent.id]);
    const lines = readFileSync(marks(), 'utf8').trim().split('\n');
    const at = (word: string) => lines.filter((line) => line.startsWith(`${word} `)).map((line) => Number(line.split(' ')[1]) / 1e6);
    const term = Math.min(...at('term'));
    const lastTick = Math.max(...at('tick'));
    // Still at work 3 s after its SIGTERM (the grace is 5 s): a lower bound only, which a loaded machine cannot break.
    expect(lastTick - term).toBeGreaterThan(3000);
  });
});
