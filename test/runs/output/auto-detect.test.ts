import { describe, expect, it } from 'vitest';
import { autoDetectParser } from '../../../src/core/runs/output/auto-detect';
import type { RunEvent } from '../../../src/shared/run-event';

/** Feeds the text in pieces of `size` characters (split anywhere, as a pipe delivers it). */
function parse(text: string, size: number): RunEvent[] {
  const parser = autoDetectParser();
  const events: RunEvent[] = [];
  for (let i = 0; i < text.length; i += size) events.push(...parser.push(text.slice(i, i + size)));
  return [...events, ...parser.end()];
}

const result = (events: RunEvent[]) => events.find((e) => e.type === 'result');

describe('an agent CLI whose output format was not named', () => {
  it("reads Claude Code's stream-json, with its usage, however the output is split", () => {
    const text = [
      '{"type":"system","subtype":"init","session_id":"s","model":"m"}',
      '{"type":"result","subtype":"success","is_error":false,"result":"ok","total_cost_usd":0.5,"usage":{"input_tokens":10,"output_tokens":4}}',
      '',
    ].join('\n');
    for (const size of [1, 7, 1000]) expect(result(parse(text, size))).toMatchObject({ cost_usd: 0.5, tokens_in: 10, tokens_out: 4 });
  });

  it("reads codex's JSON lines, with its usage", () => {
    const text = [
      '{"type":"thread.started","thread_id":"t"}',
      '{"type":"turn.completed","usage":{"input_tokens":30,"cached_input_tokens":0,"output_tokens":9}}',
      '',
    ].join('\n');
    expect(result(parse(text, 5))).toMatchObject({ tokens_in: 30, tokens_out: 9 });
  });

  it('keeps anything else as plain text lines, a JSON object that is not an agent event included', () => {
    expect(parse('{"type":"other"}\nhello\n', 3)).toEqual([
      { type: 'text', text: '{"type":"other"}' },
      { type: 'text', text: 'hello' },
    ]);
    expect(parse('no newline at all', 4)).toEqual([{ type: 'text', text: 'no newline at all' }]);
  });
});
