import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../src/core/executors';
import { makeTask } from '../fixtures/objects';

describe('buildPrompt', () => {
  it('states the task and how to report, with the real task id in every command', () => {
    const prompt = buildPrompt({ task: makeTask({ id: 'api-docs', title: 'Write API docs', description: 'Cover every endpoint.\n' }), dependencies: [] });
    expect(prompt).toContain('# Task api-docs: Write API docs');
    expect(prompt).toContain('Cover every endpoint.');
    for (const command of ['wg log api-docs "', 'wg artifact api-docs <path>', 'wg done api-docs', 'wg fail api-docs --reason "']) {
      expect(prompt).toContain(command);
    }
    expect(prompt).toContain('WG_TASK_ID');
    expect(prompt).not.toContain('What the tasks before this one left');
    expect(prompt).not.toContain('Earlier attempts');
  });

  it("includes what dependencies logged, produced and returned", () => {
    const dep = makeTask({
      id: 'schema', title: 'Design the schema', status: 'done',
      log: [{ timestamp: '2026-01-01T10:00:00Z', actor: 'agent-7', message: 'Chose SQLite with WAL' }],
      artifacts: ['docs/schema.sql'],
      results: { tables: ['task', 'agent'], version: 3 },
    });
    const prompt = buildPrompt({ task: makeTask({ after: ['schema'] }), dependencies: [dep] });
    expect(prompt).toContain('### schema: Design the schema (done)');
    expect(prompt).toContain('[2026-01-01T10:00:00Z agent-7] Chose SQLite with WAL');
    expect(prompt).toContain('- docs/schema.sql');
    expect(prompt).toContain('- tables: ["task","agent"]');
    expect(prompt).toContain('- version: 3');
  });

  it('keeps only the recent log and clips huge entries', () => {
    const log = Array.from({ length: 30 }, (_, i) => ({ timestamp: `t${i}`, actor: 'a', message: i === 29 ? 'x'.repeat(5000) : `entry ${i}` }));
    const prompt = buildPrompt({ task: makeTask(), dependencies: [makeTask({ id: 'dep', log })] });
    expect(prompt).toContain('(10 earlier entries omitted)');
    expect(prompt).not.toContain('entry 9\n');
    expect(prompt).toContain('entry 10');
    expect(prompt).toContain('(3000 more characters)');
    expect(prompt.length).toBeLessThan(5000);
  });

  it('tells a retried task what happened last time', () => {
    const prompt = buildPrompt({
      task: makeTask({ retry_count: 1, failure_reason: 'tests failed', log: [{ timestamp: 't', actor: 'agent-1', message: 'half way' }] }),
      dependencies: [],
    });
    expect(prompt).toContain('Earlier attempts (1 so far)');
    expect(prompt).toContain('Last failure: tests failed');
    expect(prompt).toContain('half way');
  });
});
