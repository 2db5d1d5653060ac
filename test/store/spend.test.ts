import { afterEach, describe, expect, it } from 'vitest';
import { spendReport, todaySpend } from '../../src/core/history/spend';
import { timeStats } from '../../src/core/history/time-stats';
import { statsDuration } from '../../src/core/history/duration-text';
import { formatNumber, spendText, statsText } from '../../src/cli/history-format';
import { recordRun } from '../helpers/recorded-runs';
import { tempStore } from '../helpers/temp-store';

/**
 * `wg spend` and `wg stats`, ported from upstream's spend and stats commands (their `mod tests`,
 * named in each title), with this app's breakdowns by day, task, model and agent identity.
 */
const NOW = new Date('2026-03-01T12:00:00Z');
let t: Awaited<ReturnType<typeof tempStore>>;
afterEach(() => t?.dispose());

async function project(lines: Array<Record<string, unknown> & { id: string }> = []) {
  t = await tempStore(NOW);
  if (lines.length)
    await t.store.importJsonl(lines.map((l) => JSON.stringify({ kind: 'task', title: l.id, status: 'open', ...l })).join('\n'));
  return t.store;
}

describe('wg spend', () => {
  it('test_format_number', () => {
    expect([formatNumber(1000), formatNumber(1_000_000), formatNumber(42)]).toEqual(['1,000', '1,000,000', '42']);
  });

  it('test_spend_no_tasks', async () => {
    const store = await project();
    const report = await spendReport(store);
    expect(report).toMatchObject({ total_cost: 0, total_input_tokens: 0, total_output_tokens: 0, task_count: 0, daily_breakdown: [] });
    expect(spendText(report)).toBe(
      [
        '=== Token Spend Summary ===',
        'Total cost: $0.0000',
        'Total tokens: 0 (0 in, 0 out)',
        'Tasks with usage: 0',
        '',
        'Daily breakdown:',
      ].join('\n'),
    );
    expect(spendText(todaySpend(report, NOW))).toBe('No token usage recorded yet today.');
  });

  it('test_spend_with_usage: a done task with upstream’s token_usage and no run here counts on the day it completed', async () => {
    const store = await project([
      {
        id: 'test-1',
        status: 'done',
        completed_at: '2026-02-27T10:00:00Z',
        token_usage: { cost_usd: 0.5, input_tokens: 1000, output_tokens: 500, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
      },
    ]);
    const report = await spendReport(store);
    expect(report).toMatchObject({ total_cost: 0.5, total_input_tokens: 1000, total_output_tokens: 500, task_count: 1, run_count: 0 });
    expect(report.daily_breakdown).toEqual([
      { date: '2026-02-27', total_cost: 0.5, total_input_tokens: 1000, total_output_tokens: 500, task_count: 1, run_count: 0 },
    ]);
    expect(spendText(report)).toContain('Total cost: $0.5000\nTotal tokens: 1,500 (1,000 in, 500 out)\nTasks with usage: 1');
    expect(spendText(report)).toContain('  2026-02-27: $0.5000 (1 tasks, 1,500 tokens)');
  });

  it('counts each run on the day it ended, by task, model and agent identity; --today is today’s line', async () => {
    const store = await project([
      { id: 'a', status: 'done', agent: 'f00dcafe' },
      { id: 'b', status: 'in-progress' },
    ]);
    await recordRun(store, {
      task: 'a',
      model: 'sonnet',
      startedAt: '2026-02-28T09:00:00Z',
      endedAt: '2026-02-28T09:30:00Z',
      cost: 1.25,
      tokensIn: 20000,
      tokensOut: 4000,
    });
    await recordRun(store, {
      task: 'a',
      model: 'haiku',
      startedAt: '2026-03-01T08:00:00Z',
      endedAt: '2026-03-01T08:10:00Z',
      cost: 0.05,
      tokensIn: 3000,
      tokensOut: 500,
    });
    await recordRun(store, {
      task: 'a',
      model: 'haiku',
      purpose: 'evaluate',
      startedAt: '2026-03-01T09:00:00Z',
      cost: 0.01,
      tokensIn: 800,
      tokensOut: 100,
    });
    await recordRun(store, {
      task: 'b',
      model: 'sonnet',
      state: 'working',
      startedAt: '2026-03-01T11:00:00Z',
      cost: 0.3,
      tokensIn: 5000,
      tokensOut: 900,
    });
    await recordRun(store, { task: 'b', model: 'sonnet', startedAt: '2026-03-01T10:00:00Z', state: 'failed' });
    const report = await spendReport(store);
    expect(report.run_count).toBe(4);
    expect(report.total_cost).toBeCloseTo(1.61, 10);
    expect(report.daily_breakdown.map((d) => [d.date, Number(d.total_cost.toFixed(2)), d.task_count, d.run_count])).toEqual([
      ['2026-02-28', 1.25, 1, 1],
      ['2026-03-01', 0.36, 2, 3],
    ]);
    expect(report.by_model.map((m) => [m.model, Number(m.total_cost.toFixed(2)), m.run_count])).toEqual([
      ['sonnet', 1.55, 2],
      ['haiku', 0.06, 2],
    ]);
    expect(report.by_task.map((x) => [x.task_id, Number(x.total_cost.toFixed(2))])).toEqual([
      ['a', 1.31],
      ['b', 0.3],
    ]);
    // The task's own runs count for its identity; the evaluator's run is no one's work on it.
    expect(report.by_agent.map((a) => [a.agent, Number(a.total_cost.toFixed(2))])).toEqual([
      ['f00dcafe', 1.3],
      ['(none)', 0.31],
    ]);
    expect(todaySpend(report, NOW)).toMatchObject({ date: '2026-03-01', task_count: 2, run_count: 3 });
    expect(spendText(todaySpend(report, NOW))).toBe(
      ["Today's spend:", '  Total cost: $0.3600', '  Input tokens: 8,800', '  Output tokens: 1,500', '  Tasks: 2'].join('\n'),
    );
    expect(spendText(report)).toContain('By model:\n  sonnet: $1.5500 (2 tasks, 29,900 tokens)\n  haiku: $0.0600 (1 tasks, 4,400 tokens)');
  });
});

describe('wg stats', () => {
  it('test_fmt_duration', () => {
    expect([0, 45, 90, 3600, 3661, 7200, 86400].map(statsDuration)).toEqual(['0s', '45s', '1m30s', '1h', '1h1m', '2h', '24h']);
  });

  it('test_run_empty_dir and test_run_json', () => {
    const stats = timeStats([], null, NOW);
    expect(stats).toEqual({
      service_uptime_secs: null,
      cumulative_agent_secs: 0,
      active_agent_secs: 0,
      active_agent_count: 0,
      total_agents: 0,
    });
    expect(statsText(stats)).toBe(
      [
        'WG Time Statistics',
        '=========================',
        '',
        '  ↑ Service uptime:     (not running)',
        '  Σ Cumulative walltime: 0s (0 agents total)',
        '  ⚡ Active agent time:   (no active agents)',
      ].join('\n'),
    );
  });

  it('counts each run from its start to its end, a working one to now, and the service while it runs', async () => {
    const store = await project([{ id: 'a' }]);
    await recordRun(store, { task: 'a', startedAt: '2026-03-01T11:00:00Z', endedAt: '2026-03-01T11:01:30Z' });
    await recordRun(store, { task: 'a', startedAt: '2026-03-01T11:30:00Z', state: 'working' });
    const stats = timeStats(await store.agents.list(), { startedAt: '2026-03-01T10:00:00Z' }, NOW);
    expect(stats).toEqual({
      service_uptime_secs: 7200,
      cumulative_agent_secs: 90 + 1800,
      active_agent_secs: 1800,
      active_agent_count: 1,
      total_agents: 2,
    });
    expect(statsText(stats)).toContain(
      '  ↑ Service uptime:     2h\n  Σ Cumulative walltime: 31m30s (2 agents total)\n  ⚡ Active agent time:   30m0s (1 agents)',
    );
  });
});
