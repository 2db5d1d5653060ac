import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { jsonLinesParser } from './json-lines';
import { asArray, asNumber, asRecord, asString, type JsonRecord } from './narrow';

/**
 * Normalizes `claude --print --output-format stream-json --verbose` (Claude Code 2.1.330, as
 * observed against the fake API; recordings in test/fixtures/claude-stream). One JSON object a line:
 *   {"type":"system","subtype":"init","session_id":"…","model":"claude-…",…}
 *   {"type":"system","subtype":"thinking_tokens",…}                      (progress noise: ignored)
 *   {"type":"assistant","message":{"content":[ONE block: text|thinking|tool_use],…},…}
 *   {"type":"user","message":{"content":[{"type":"tool_result","tool_use_id","content","is_error"}]},…}
 *   {"type":"result","subtype":"success"|"error_during_execution","is_error",
 *    "result"?,"errors"?:[…],"total_cost_usd","num_turns","usage":{input_tokens,
 *    cache_creation_input_tokens,cache_read_input_tokens,output_tokens,…},…}
 * A failed --resume prints only the result line (no init), with the reason in `errors`.
 */
export function claudeStreamParser(): OutputParser {
  return jsonLinesParser({ line: claudeLine });
}

function claudeLine(object: JsonRecord, raw: string): RunEvent[] {
  switch (object.type) {
    case 'system':
      return systemEvent(object);
    case 'assistant':
      return assistantEvents(object);
    case 'user':
      return userEvents(object);
    case 'result':
      return [resultEvent(object)];
    default:
      // Newer CLI versions add event types (rate limits, partial messages…): keep them visible.
      return [{ type: 'raw', text: raw }];
  }
}

function systemEvent(object: JsonRecord): RunEvent[] {
  const sessionId = asString(object.session_id);
  if (object.subtype !== 'init' || !sessionId) return [];
  return [{ type: 'session', session_id: sessionId, model: asString(object.model) }];
}

function contentBlocks(object: JsonRecord): JsonRecord[] {
  const message = asRecord(object.message);
  return asArray(message?.content)
    .map(asRecord)
    .filter((block): block is JsonRecord => block !== null);
}

function assistantEvents(object: JsonRecord): RunEvent[] {
  const events: RunEvent[] = [];
  for (const block of contentBlocks(object)) {
    if (block.type === 'text') {
      const text = asString(block.text);
      if (text) events.push({ type: 'text', text });
    } else if (block.type === 'thinking') {
      const text = asString(block.thinking);
      if (text) events.push({ type: 'thinking', text });
    } else if (block.type === 'tool_use' || block.type === 'server_tool_use') {
      events.push({
        type: 'tool_use',
        id: asString(block.id) ?? '',
        name: asString(block.name) ?? 'unknown',
        input: block.input ?? null,
      });
    }
    // redacted_thinking and future block types carry nothing to show.
  }
  return events;
}

function userEvents(object: JsonRecord): RunEvent[] {
  const events: RunEvent[] = [];
  for (const block of contentBlocks(object)) {
    if (block.type !== 'tool_result') continue;
    events.push({
      type: 'tool_result',
      tool_use_id: asString(block.tool_use_id) ?? '',
      output: toolResultText(block.content),
      is_error: block.is_error === true,
    });
  }
  return events;
}

/** tool_result content is a string or a list of blocks (text, image…). */
function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return asArray(content)
    .map((item) => {
      const block = asRecord(item);
      if (!block) return '';
      const text = asString(block.text);
      if (text !== null) return text;
      return typeof block.type === 'string' ? `[${block.type}]` : '';
    })
    .filter((part) => part !== '')
    .join('\n');
}

function resultEvent(object: JsonRecord): RunEvent {
  const usage = asRecord(object.usage);
  const input = asNumber(usage?.input_tokens);
  // Cached prompt tokens are still input the run consumed (and paid for, at other rates).
  const tokensIn =
    input === null ? null : input + (asNumber(usage?.cache_creation_input_tokens) ?? 0) + (asNumber(usage?.cache_read_input_tokens) ?? 0);
  const errors = asArray(object.errors).filter((e): e is string => typeof e === 'string');
  return {
    type: 'result',
    is_error: object.is_error === true,
    text: asString(object.result) ?? (errors.length > 0 ? errors.join('\n') : null),
    cost_usd: asNumber(object.total_cost_usd),
    tokens_in: tokensIn,
    tokens_out: asNumber(usage?.output_tokens),
    turns: asNumber(object.num_turns),
  };
}
