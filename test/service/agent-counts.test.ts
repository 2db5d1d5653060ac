import { afterEach, describe, expect, it } from 'vitest';
import { agentCounts } from '../../src/core/service/service-status';
import { recordRun } from '../helpers/recorded-runs';
import { tempStore } from '../helpers/temp-store';

let t: Awaited<ReturnType<typeof tempStore>> | null = null;
afterEach(() => t?.dispose());

describe("wg service status's agents line", () => {
  it('counts every run by its state, a killed one too (it was counted nowhere, so the counts fell short of wg agents)', async () => {
    t = await tempStore();
    await t.store.tasks.add({ id: 'x', title: 'X' }, 'user');
    const startedAt = '2026-03-01T12:00:00.000Z';
    for (const state of ['done', 'done', 'failed', 'dead', 'killed'] as const) {
      await recordRun(t.store, { task: 'x', state, startedAt, endedAt: '2026-03-01T12:01:00.000Z' });
    }
    expect(await agentCounts(t.store)).toEqual({ working: 0, done: 2, failed: 1, dead: 1, killed: 1 });
  });
});
