import { describe, expect, it } from 'vitest';
import { runOutputText } from '../../src/cli/run-output-format';
import type { IndexedRunEvent, RunEvent, RunEventPage } from '../../src/shared/run-event';

const at = '2026-03-01T12:00:00.000Z';
const page = (events: RunEvent[], extra: Partial<RunEventPage> = {}): RunEventPage => ({
  agent_id: 'agent-3',
  total: events.length,
  offset: 0,
  events: events.map((event, seq): IndexedRunEvent => ({ seq, at, event })),
  ...extra,
});

describe('wg output, as a person reads it', () => {
  it("is the run's words, its calls one line each with how they went, and its end with the cost", () => {
    const text = runOutputText(
      page([
        { type: 'session', session_id: 's-1', model: 'claude-haiku' },
        { type: 'thinking', text: 'The tests first.\nThen the fix.' },
        { type: 'text', text: 'I will run the tests.\n' },
        { type: 'tool_use', id: 'u1', name: 'Bash', input: { command: 'npm test\necho done', description: 'tests' } },
        { type: 'tool_result', tool_use_id: 'u1', output: '3 failed\nmore', is_error: true },
        { type: 'tool_use', id: 'u2', name: 'Read', input: { file_path: 'src/a.ts' } },
        { type: 'tool_result', tool_use_id: 'u9', output: 'a result whose call came before this page', is_error: false },
        { type: 'stderr', text: 'warn one\nwarn two\n' },
        { type: 'result', is_error: false, text: 'Fixed.', cost_usd: 0.01234, tokens_in: 1200, tokens_out: 300, turns: 3 },
      ]),
    );
    expect(text.split('\n')).toEqual([
      '── session s-1 · claude-haiku',
      '(thinking) The tests first.',
      'I will run the tests.',
      '▸ Bash: npm test  ✗ 3 failed',
      '▸ Read: src/a.ts  … running',
      '  ↳ result: a result whose call came before this page',
      'stderr: warn one',
      'stderr: warn two',
      '── Run finished ($0.0123, 1200 tokens in, 300 out, 3 turns)',
      'Fixed.',
    ]);
  });

  it('says where the next page starts, a failed end, and an empty run', () => {
    const end: RunEvent = { type: 'result', is_error: true, text: null, cost_usd: null, tokens_in: null, tokens_out: null, turns: null };
    expect(runOutputText(page([{ type: 'text', text: 'one' }], { total: 5, offset: 2 }))).toBe(
      'one\n── events 3–3 of 5; next: wg output agent-3 --offset 3',
    );
    expect(runOutputText(page([end], { total: 4, offset: 3 }))).toBe('── Run failed\n── events 4–4 of 4');
    expect(runOutputText(page([]))).toBe('agent-3 has printed nothing yet');
  });
});
