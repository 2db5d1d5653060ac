import { sqlText } from '../helpers/sql-text';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { Task } from '../../src/shared/task';
import { newRun } from '../../src/core/store/agent-records';
import { Store } from '../../src/core/store/store';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { TempProject } from '../helpers/wg-cli';

/** What a person reads: one line for what changed, not JSON or the whole registry; nothing shown that is not so. */
const p = new TempProject('wg-plain-');
beforeAll(async () => {
  await p.ok(['init']);
});
afterAll(() => p.remove());

describe('plain output', () => {
  it('wg token create prints the token and what to do with it, not JSON (JSON with --json)', async () => {
    const out = await p.ok(['token', 'create', 'laptop', '--roles', 'dev']);
    expect(out.trim().split('\n')).toEqual([
      'agent token laptop (roles dev, any repository):',
      expect.stringMatching(/^wga_\S+$/),
      'it is shown only this once: give it to wg agentd as WG_AGENT_TOKEN',
    ]);
    expect(() => JSON.parse(out)).toThrow();
    expect(await p.ok(['token', 'revoke', 'laptop'])).toMatch(
      /^agent token laptop \(…[\w-]{4}\) revoked at \S+; its daemons are disconnected$/,
    );
  });

  it('wg model set --role prints the one change, not the whole registry', async () => {
    expect(await p.ok(['model', 'set', 'opus', '--role', 'evaluator'])).toBe('role evaluator now uses opus');
    expect(await p.ok(['model', 'set', 'triage', 'haiku'])).toBe('role triage now uses haiku');
  });

  it('wg agents marks triage and evaluator runs; an unknown cost is unknown, not $0.0000; a done task keeps no "not before"', async () => {
    await p.ok(['add', 'Report', '--id', 'report']);
    const store = await Store.open(join(p.root, '.workgraph/graph.db'));
    await store.core.write(async (rev) => {
      for (const purpose of ['task', 'triage', 'evaluate'] as const) {
        const id = await store.agents.nextId();
        const run: Agent = {
          ...newRun(
            id,
            { task_id: 'report', executor: 'claude', model: null, model_source: null, runs_elsewhere: false, output_path: null, purpose },
            store.core.nowIso(),
            rev,
          ),
        };
        await store.agents.insert(run, null);
      }
      await sqlText(store.core, "UPDATE agents SET state = 'done', tokens_in = 1200, tokens_out = 300 WHERE purpose = 'task'").run();
      // Tokens but no price (a model without cost_in/cost_out).
      await sqlText(store.core, "UPDATE tasks SET tokens_in = 1200, tokens_out = 300, cost_usd = 0 WHERE id = 'report'").run();
      await transition(store.core, await requireTaskRow(store.core, 'report'), { not_before: '2099-01-01T00:00:00.000Z' }, rev);
    });
    await store.close();
    // The table, then upstream's summary line after a blank line.
    const [table = '', summary] = (await p.ok(['agents'])).trim().split('\n\n');
    expect(summary).toBe('3 agent(s)');
    const [header = '', ...runs] = table.split('\n');
    expect(header.split(/\s+/)).toEqual(['ID', 'TASK', 'EXECUTOR', 'MODEL', 'PID', 'UPTIME', 'STATUS']);
    const rows = runs.map((line) => [...line.split(/\s+/).slice(0, 3), line.split(/\s+/).at(-1)].join(' '));
    expect(rows).toEqual([
      expect.stringMatching(/^agent-1 report claude done$/),
      'agent-2 report (triage) working',
      'agent-3 report (evaluate) working',
    ]);
    await p.ok(['done', 'report']);
    const task = await p.json<Task>(['show', 'report']);
    expect(task.not_before).toBeNull();
    const page = await p.ok(['show', 'report']);
    expect(page).toMatch(/Cost\s+unknown \(1200 tokens in, 300 out\)/);
    expect(page).not.toContain('$0.0000');
  });
});
