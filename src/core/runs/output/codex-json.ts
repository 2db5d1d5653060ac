import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { jsonLinesParser } from './json-lines';
import { asArray, asNumber, asRecord, asString, type JsonRecord } from './narrow';

/**
 * Normalizes `codex exec --json` JSON lines. Shapes from openai/codex
 * (ThreadEvent, `#[serde(tag = "type")]`; ThreadItem = {id,
 * type, …details flattened}) and the sample in docs/exec.md:
 *   {"type":"thread.started","thread_id":"…"}            → session
 *   {"type":"turn.started"}                               (ignored)
 *   {"type":"item.started"|"item.updated"|"item.completed","item":{"id":"item_1","type":…}}
 *     agent_message {text} → text; reasoning {text} → thinking; plan {text} → text;
 *     command_execution {command, aggregated_output, exit_code?, status} → tool_use + tool_result;
 *     file_change {changes:[{path,kind}], status} → tool_use + tool_result;
 *     mcp_tool_call {server, tool, arguments, result?{content}, error?{message}, status} → same;
 *     web_search {query} → tool_use; todo_list {items:[{text,completed}]}; error {message} (non-fatal)
 *   {"type":"turn.completed","usage":{"input_tokens","cached_input_tokens","output_tokens"}} → result
 *   {"type":"turn.failed","error":{"message"}}            → result (is_error)
 *   {"type":"error","message":"…"}                        → raw; becomes the result if none follows
 * cached_input_tokens is a part of input_tokens (OpenAI usage), so it is not added again. Recent
 * codex reports thread totals in turn.completed, so the latest usage is kept, not summed.
 */
export function codexJsonParser(): OutputParser {
  const state = new CodexState();
  return jsonLinesParser({ line: (object, raw) => state.line(object, raw), finish: () => state.finish() });
}

class CodexState {
  private readonly startedTools = new Set<string>();
  private turns = 0;
  private lastMessage: string | null = null;
  private lastError: string | null = null;
  private resultEmitted = false;

  line(object: JsonRecord, raw: string): RunEvent[] {
    switch (object.type) {
      case 'thread.started': {
        const id = asString(object.thread_id);
        return id ? [{ type: 'session', session_id: id, model: null }] : [];
      }
      case 'turn.started':
        return [];
      case 'item.started':
      case 'item.updated':
        return this.itemStarted(asRecord(object.item));
      case 'item.completed':
        return this.itemCompleted(asRecord(object.item));
      case 'turn.completed':
        return [this.turnCompleted(asRecord(object.usage))];
      case 'turn.failed': {
        this.turns++;
        const message = asString(asRecord(object.error)?.message) ?? this.lastError ?? 'turn failed';
        return [this.result(true, message, null)];
      }
      case 'error': {
        const message = asString(object.message) ?? raw;
        this.lastError = message;
        return [{ type: 'raw', text: `error: ${message}` }];
      }
      default:
        return [{ type: 'raw', text: raw }];
    }
  }

  finish(): RunEvent[] {
    // The process died after a fatal error without closing the turn: still report the failure.
    if (!this.resultEmitted && this.lastError !== null) return [this.result(true, this.lastError, null)];
    return [];
  }

  private itemStarted(item: JsonRecord | null): RunEvent[] {
    if (!item) return [];
    const id = asString(item.id) ?? '';
    const use = toolUse(item, id);
    if (!use || this.startedTools.has(id)) return [];
    this.startedTools.add(id);
    return [use];
  }

  private itemCompleted(item: JsonRecord | null): RunEvent[] {
    if (!item) return [];
    const id = asString(item.id) ?? '';
    switch (item.type) {
      case 'agent_message':
      case 'plan': {
        const text = asString(item.text);
        if (!text) return [];
        if (item.type === 'agent_message') this.lastMessage = text;
        return [{ type: 'text', text }];
      }
      case 'reasoning': {
        const text = asString(item.text);
        return text ? [{ type: 'thinking', text }] : [];
      }
      case 'todo_list':
        return [{ type: 'raw', text: todoText(item) }];
      case 'error':
        return [{ type: 'raw', text: `warning: ${asString(item.message) ?? ''}` }];
      default: {
        // Unknown item types (collab tools, future ones) stay visible as raw.
        if (!toolUse(item, id)) return [{ type: 'raw', text: JSON.stringify(item) }];
        // File changes arrive only completed; other tool calls were usually started earlier.
        const events = this.itemStarted(item);
        const result = toolResult(item, id);
        return result ? [...events, result] : events;
      }
    }
  }

  private turnCompleted(usage: JsonRecord | null): RunEvent {
    this.turns++;
    return this.result(false, this.lastMessage, usage);
  }

  private result(isError: boolean, text: string | null, usage: JsonRecord | null): RunEvent {
    this.resultEmitted = true;
    return {
      type: 'result',
      is_error: isError,
      text,
      cost_usd: null,
      tokens_in: asNumber(usage?.input_tokens),
      tokens_out: asNumber(usage?.output_tokens),
      turns: this.turns,
    };
  }
}

/** The tool_use an item stands for, or null for items that are not tool calls. */
function toolUse(item: JsonRecord, id: string): RunEvent | null {
  switch (item.type) {
    case 'command_execution':
      return { type: 'tool_use', id, name: 'command_execution', input: { command: asString(item.command) ?? '' } };
    case 'file_change':
      return { type: 'tool_use', id, name: 'file_change', input: { changes: item.changes ?? [] } };
    case 'mcp_tool_call':
      return {
        type: 'tool_use',
        id,
        name: `mcp:${asString(item.server) ?? '?'}/${asString(item.tool) ?? '?'}`,
        input: item.arguments ?? null,
      };
    case 'web_search':
      return { type: 'tool_use', id, name: 'web_search', input: { query: asString(item.query) ?? '' } };
    default:
      return null;
  }
}

function toolResult(item: JsonRecord, id: string): RunEvent | null {
  switch (item.type) {
    case 'command_execution': {
      const exitCode = asNumber(item.exit_code);
      const failed = item.status === 'failed' || item.status === 'declined' || (exitCode !== null && exitCode !== 0);
      return { type: 'tool_result', tool_use_id: id, output: asString(item.aggregated_output) ?? '', is_error: failed };
    }
    case 'file_change': {
      const lines = asArray(item.changes).map((c) => {
        const change = asRecord(c);
        return `${asString(change?.kind) ?? 'change'} ${asString(change?.path) ?? '?'}`;
      });
      return { type: 'tool_result', tool_use_id: id, output: lines.join('\n'), is_error: item.status === 'failed' };
    }
    case 'mcp_tool_call': {
      const error = asString(asRecord(item.error)?.message);
      const content = asArray(asRecord(item.result)?.content)
        .map((c) => asString(asRecord(c)?.text))
        .filter((t): t is string => t !== null);
      return {
        type: 'tool_result',
        tool_use_id: id,
        output: error ?? content.join('\n'),
        is_error: error !== null || item.status === 'failed',
      };
    }
    case 'web_search':
      return { type: 'tool_result', tool_use_id: id, output: '', is_error: false };
    default:
      return null;
  }
}

function todoText(item: JsonRecord): string {
  const lines = asArray(item.items).map((t) => {
    const todo = asRecord(t);
    return `${todo?.completed === true ? '[x]' : '[ ]'} ${asString(todo?.text) ?? ''}`;
  });
  return `todo:\n${lines.join('\n')}`;
}
