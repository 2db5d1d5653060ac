import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordStats, statsFrom } from '../../src/core/runs/watching/run-stats';
import { Store } from '../../src/core/store/store';
import type { SpendReport } from '../../src/shared/history';
import type { TaskCost } from '../../src/shared/insight';
import type { RunEvent } from '../../src/shared/run-event';
import type { Task } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * What runs cost, as `wg spend` and `wg cost` tell it (issue 74): the model a run of the tool's default model ran
 * (Claude Code names it in its first line) is the one it is counted under, not "(not recorded)"; dollar amounts in
 * `--json` come without float noise; and `wg cost`'s total is not below what its runs spent.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-money-');
  await p.ok(['init']);
  await p.ok(['add', 'Main', '--id', 'main']);
});
afterEach(() => p.remove());

/** A run of `main` whose CLI said `said` was its model and cost `cost` (its first line and its result, as Claude Code's). */
const events = (said: string, cost: number): RunEvent[] => [
  { type: 'session', session_id: `session-${cost}`, model: said },
  { type: 'result', is_error: false, text: 'done', cost_usd: cost, tokens_in: 100, tokens_out: 10, turns: 1 },
];

async function runs(list: Array<{ id: string; model: string | null; said: string; cost: number }>): Promise<void> {
  const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
  try {
    for (const run of list) {
      await store.core.write(() =>
        store.agents.insert(
          makeAgent({ id: run.id, task_id: 'main', model: run.model, model_source: run.model === null ? 'default' : 'task' }),
          null,
        ),
      );
      await recordStats(store, run.id, 'main', statsFrom(events(run.said, run.cost)));
    }
  } finally {
    await store.close();
  }
}

describe('wg spend', () => {
  it("counts a run of the tool's default model under the model it ran, and a chosen model under its own name", async () => {
    await runs([
      { id: 'agent-1', model: null, said: 'claude-sonnet-4-5-20250929', cost: 0.5 },
      { id: 'agent-2', model: 'opus', said: 'claude-opus-4-1-20250805', cost: 0.25 },
    ]);
    const report = await p.json<SpendReport>(['spend']);
    expect(report.by_model.map((m) => [m.model, m.total_cost])).toEqual([
      ['claude-sonnet-4-5-20250929', 0.5],
      ['opus', 0.25],
    ]);
  });
});

describe('dollar amounts in --json', () => {
  it('have no float noise: 0.00152 + 0.00336 is 0.00488, not 0.004880000000000001', async () => {
    expect(0.00152 + 0.00336).not.toBe(0.00488);
    await runs([
      { id: 'agent-1', model: null, said: 'claude-sonnet-4-5', cost: 0.00152 },
      { id: 'agent-2', model: null, said: 'claude-sonnet-4-5', cost: 0.00336 },
    ]);
    const money = /"(?:cost_usd|total_cost|spent_usd)": (-?[\d.e-]+)/g;
    for (const args of [['spend'], ['cost', 'main'], ['show', 'main']]) {
      const text = await p.ok([...args, '--json']);
      const amounts = [...text.matchAll(money)].map((m) => m[1]);
      expect(amounts.length, args.join(' ')).toBeGreaterThan(0);
      for (const amount of amounts) expect(amount, args.join(' ')).toMatch(/^(0|0\.00152|0\.00336|0\.00488)$/);
    }
    expect(await p.json<TaskCost>(['cost', 'main'])).toEqual({ task_id: 'main', total_cost: 0.00488, spent_usd: 0.00488 });
    expect((await p.json<Task>(['show', 'main'])).cost_usd).toBe(0.00488);
  });
});

describe('wg cost', () => {
  it('says the same figure as total and as spent when only runs cost anything (it said $0.00 beside $0.01)', async () => {
    await runs([{ id: 'agent-1', model: null, said: 'claude-sonnet-4-5', cost: 0.0123 }]);
    expect(await p.ok(['cost', 'main'])).toBe("Total cost for 'main' (including dependencies): $0.01\nSpent by their runs so far: $0.01");
  });
});
