import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexJsonParser } from '../../../src/core/runs/output';
import type { RunEvent } from '../../../src/shared/run-event';
import { feedSplit } from './split-feed';

const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'codex-json');
const fixture = (name: string) => readFileSync(join(FIXTURES, `${name}.jsonl`));

function parseAll(text: string): RunEvent[] {
  const parser = codexJsonParser();
  return [...parser.push(text), ...parser.end()];
}

describe('codex exec --json parser', () => {
  it('maps thread, items and turn completion to run events', () => {
    const events = parseAll(fixture('run').toString('utf8'));
    expect(events).toEqual([
      { type: 'session', session_id: '0199b0c4-5a1e-7c21-9d3e-4f2a6b8c1d00', model: null },
      { type: 'thinking', text: '**Finding the task id**' },
      { type: 'tool_use', id: 'item_1', name: 'command_execution', input: { command: `bash -lc 'wg log hello "héllo from codex ✓"'` } },
      { type: 'tool_result', tool_use_id: 'item_1', output: 'hello: open — Say hello\n', is_error: false },
      {
        type: 'tool_use',
        id: 'item_3',
        name: 'file_change',
        input: {
          changes: [
            { path: 'src/hello.ts', kind: 'add' },
            { path: 'README.md', kind: 'update' },
          ],
        },
      },
      { type: 'tool_result', tool_use_id: 'item_3', output: 'add src/hello.ts\nupdate README.md', is_error: false },
      { type: 'tool_use', id: 'item_4', name: 'mcp:docs/search', input: { q: 'wg done' } },
      { type: 'tool_result', tool_use_id: 'item_4', output: 'wg done marks a task done', is_error: false },
      { type: 'tool_use', id: 'item_5', name: 'command_execution', input: { command: `bash -lc 'wg done hello && false'` } },
      { type: 'tool_result', tool_use_id: 'item_5', output: 'hello: done — Say hello\n', is_error: true },
      { type: 'raw', text: 'warning: model rerouted: gpt-5 -> gpt-5-mini' },
      { type: 'raw', text: 'todo:\n[x] log progress\n[x] finish' },
      { type: 'text', text: 'Logged and marked done ✓' },
      // cached_input_tokens is part of input_tokens, so tokens_in is input_tokens alone.
      { type: 'result', is_error: false, text: 'Logged and marked done ✓', cost_usd: null, tokens_in: 24100, tokens_out: 155, turns: 1 },
    ]);
  });

  it('reports a failed turn as an error result', () => {
    const events = parseAll(fixture('failed').toString('utf8'));
    expect(events.slice(1)).toEqual([
      { type: 'raw', text: 'error: stream disconnected before completion' },
      {
        type: 'result',
        is_error: true,
        text: 'stream disconnected before completion: retries exhausted',
        cost_usd: null,
        tokens_in: null,
        tokens_out: null,
        turns: 1,
      },
    ]);
  });

  it('still reports a failure when the stream ends after a fatal error without turn.failed', () => {
    const events = parseAll('{"type":"thread.started","thread_id":"t"}\n{"type":"error","message":"boom"}');
    expect(events.at(-1)).toEqual({
      type: 'result',
      is_error: true,
      text: 'boom',
      cost_usd: null,
      tokens_in: null,
      tokens_out: null,
      turns: 0,
    });
  });

  it('keeps unknown events and items visible as raw and skips garbage without throwing', () => {
    const events = parseAll(
      '{"type":"item.plan.delta","item_id":"i","delta":"x"}\n{"type":"item.completed","item":{"id":"i9","type":"collab_tool_call"}}\n{oops\n',
    );
    expect(events).toEqual([
      { type: 'raw', text: '{"type":"item.plan.delta","item_id":"i","delta":"x"}' },
      { type: 'raw', text: '{"id":"i9","type":"collab_tool_call"}' },
      { type: 'raw', text: '{oops' },
    ]);
  });

  it('gives the same events for every split of the bytes', () => {
    const bytes = fixture('run');
    const whole = parseAll(bytes.toString('utf8'));
    for (let cut = 0; cut <= bytes.length; cut++) expect(feedSplit(codexJsonParser(), bytes, [cut])).toEqual(whole);
  });
});
