import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeStreamParser } from '../../../src/core/runs/output';
import type { RunEvent } from '../../../src/shared/run-event';
import { feedSplit } from './split-feed';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'claude-stream');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.jsonl`));

function parseAll(text: string): RunEvent[] {
  const parser = claudeStreamParser();
  return [...parser.push(text), ...parser.end()];
}

describe('claude stream-json parser, recorded real CLI output', () => {
  it('turns a full run into session, thinking, text, tool calls with results, and the result', () => {
    const events = parseAll(fixture('hello').toString('utf8'));
    expect(events.map((e) => e.type)).toEqual([
      'session',
      'thinking',
      'text',
      'tool_use',
      'tool_result',
      'tool_use',
      'tool_result',
      'text',
      'result',
    ]);
    const [session, thinking, text, use1, result1, use2, result2, final, result] = events;
    expect(session).toMatchObject({ type: 'session', model: 'claude-opus-5-5' });
    expect(session?.type === 'session' && session.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(thinking).toEqual({ type: 'thinking', text: 'I should log first, then finish.' });
    expect(text).toEqual({ type: 'text', text: 'Logging héllo — naïve ✓ 世界' });
    expect(use1).toEqual({
      type: 'tool_use',
      id: 'toolu_fake_0_2',
      name: 'Bash',
      input: { command: 'wg log $WG_TASK_ID "hello from claude"', description: 'Log progress' },
    });
    expect(result1).toEqual({ type: 'tool_result', tool_use_id: 'toolu_fake_0_2', output: 'hello: open — Say hello', is_error: false });
    expect(use2).toMatchObject({ type: 'tool_use', id: 'toolu_fake_1_0', name: 'Bash' });
    expect(result2).toMatchObject({ type: 'tool_result', tool_use_id: 'toolu_fake_1_0', output: 'hello: done — Say hello' });
    expect(final).toEqual({ type: 'text', text: 'All done ✓' });
    // usage: input 360 + cache_creation 120 + cache_read 30; output 90.
    expect(result).toEqual({
      type: 'result',
      is_error: false,
      text: 'All done ✓',
      cost_usd: expect.any(Number),
      tokens_in: 510,
      tokens_out: 90,
      turns: 3,
    });
    expect(result?.type === 'result' && result.cost_usd).toBeGreaterThan(0);
  });

  it('marks a failed command as an error tool_result', () => {
    const events = parseAll(fixture('tool-error').toString('utf8'));
    expect(events.find((e) => e.type === 'tool_result')).toEqual({
      type: 'tool_result',
      tool_use_id: 'toolu_fake_0_0',
      output: 'Exit code 3\nout\nerr',
      is_error: true,
    });
  });

  it('reports an API error as an error result with the message', () => {
    const events = parseAll(fixture('api-error').toString('utf8'));
    expect(events.at(-1)).toMatchObject({ type: 'result', is_error: true, text: 'API Error: 400 fake bad request', turns: 1 });
  });

  it('takes the text of a result without `result` from its `errors` (failed resume)', () => {
    const events = parseAll(fixture('resume-missing').toString('utf8'));
    expect(events).toEqual([
      {
        type: 'result',
        is_error: true,
        text: 'No conversation found with session ID: 11111111-2222-4333-8444-555555555555',
        cost_usd: 0,
        tokens_in: 0,
        tokens_out: 0,
        turns: 0,
      },
    ]);
  });

  it('gives the same events however the bytes are cut, even inside multi-byte characters', () => {
    const bytes = fixture('hello');
    const whole = parseAll(bytes.toString('utf8'));
    expect(bytes.length).toBeGreaterThan(bytes.toString('utf8').length); // the fixture does hold multi-byte characters
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(feedSplit(claudeStreamParser(), bytes, [cut])).toEqual(whole);
    }
    const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(feedSplit(claudeStreamParser(), bytes, everyByte)).toEqual(whole);
  });
});

describe('claude stream-json parser, odd input', () => {
  it('keeps non-JSON lines and unknown event types as raw, and never throws', () => {
    const parser = claudeStreamParser();
    const events = [
      ...parser.push('not json\n{"type":"rate_limit_event","x":1}\n[1,2]\n{"type":"assistant","message":"oops"}\n'),
      ...parser.push('{"type":"system","subtype":"thinking_tokens","estimated_tokens":2}\n\n{"type":"result"'),
      ...parser.end(),
    ];
    expect(events).toEqual([
      { type: 'raw', text: 'not json' },
      { type: 'raw', text: '{"type":"rate_limit_event","x":1}' },
      { type: 'raw', text: '[1,2]' },
      { type: 'raw', text: '{"type":"result"' },
    ]);
  });

  it('joins array tool_result content and names non-text blocks', () => {
    const line = JSON.stringify({
      type: 'user',
      message: {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't1',
            content: [
              { type: 'text', text: 'a' },
              { type: 'image', source: {} },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      },
    });
    expect(parseAll(`${line}\n`)).toEqual([{ type: 'tool_result', tool_use_id: 't1', output: 'a\n[image]\nb', is_error: false }]);
  });

  it('reports missing usage and cost as null rather than zero', () => {
    expect(parseAll('{"type":"result","is_error":false,"result":"ok"}\n')).toEqual([
      { type: 'result', is_error: false, text: 'ok', cost_usd: null, tokens_in: null, tokens_out: null, turns: null },
    ]);
  });
});
