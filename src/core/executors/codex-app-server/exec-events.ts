import type { Notification, ThreadItem } from './protocol';

/**
 * The app server's notifications said as `codex exec --json` says them (its ThreadEvent lines), so a codex run's
 * output is read as it always was (runs/output/codex-json.ts: its log, tool calls, result, tokens) and an older
 * run's output, or an agent daemon's `codex exec`, reads the same. A thread item's kind is camelCase on the app
 * server (`commandExecution`) and snake_case in exec's lines (`command_execution`), with its members likewise.
 */
export type ExecLine = Record<string, unknown>;

const snake = (value: string) => value.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const text = (value: unknown) => (typeof value === 'string' ? value : '');
const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** A file change's kind (`PatchChangeKind`, `{ type: "add" }`), as exec names it (`"add"`). */
function changeKind(kind: unknown): string {
  return typeof kind === 'object' && kind !== null && typeof (kind as { type?: unknown }).type === 'string'
    ? (kind as { type: string }).type
    : text(kind) || 'update';
}

/** A thread item as exec's `item` (null: one exec does not print, as the prompt a turn was given). */
function execItem(item: ThreadItem): ExecLine | null {
  const id = item.id ?? '';
  const status = typeof item.status === 'string' ? snake(item.status) : undefined;
  switch (item.type) {
    case 'userMessage':
    case 'hookPrompt':
      return null;
    case 'agentMessage':
      return { id, type: 'agent_message', text: text(item.text) };
    case 'plan':
      return { id, type: 'plan', text: text(item.text) };
    case 'reasoning':
      return { id, type: 'reasoning', text: [...strings(item.summary), ...strings(item.content)].join('\n') };
    case 'commandExecution':
      return {
        id,
        type: 'command_execution',
        command: text(item.command),
        aggregated_output: text(item.aggregatedOutput),
        ...(typeof item.exitCode === 'number' ? { exit_code: item.exitCode } : {}),
        status,
      };
    case 'fileChange': {
      const changes = Array.isArray(item.changes) ? item.changes : [];
      return {
        id,
        type: 'file_change',
        changes: changes.map((c) => ({ path: text((c as { path?: unknown }).path), kind: changeKind((c as { kind?: unknown }).kind) })),
        status,
      };
    }
    case 'mcpToolCall':
      return {
        id,
        type: 'mcp_tool_call',
        server: item.server,
        tool: item.tool,
        arguments: item.arguments,
        result: item.result,
        error: item.error,
        status,
      };
    case 'webSearch':
      return { id, type: 'web_search', query: text(item.query) };
    default: {
      // Any other kind (collab tools, images, compaction, a later codex's): shown as it came, under exec's spelling.
      const { startedAtMs: _started, completedAtMs: _completed, ...rest } = item;
      return { ...rest, type: snake(item.type) };
    }
  }
}

export const threadStarted = (threadId: string): ExecLine => ({ type: 'thread.started', thread_id: threadId });
export const turnStarted = (): ExecLine => ({ type: 'turn.started' });

export function itemLine(kind: 'item.started' | 'item.completed', item: ThreadItem): ExecLine | null {
  const translated = execItem(item);
  return translated ? { type: kind, item: translated } : null;
}

/** The thread's token totals, as exec's `turn.completed` carries them (`cached_input_tokens` is a part of the input). */
export type Usage = Notification<'thread/tokenUsage/updated'>['tokenUsage']['total'];

/** How a turn ended, as exec's last line says it: `turn.completed` with the thread's usage, or `turn.failed`. */
export function turnEnded(turn: Notification<'turn/completed'>['turn'], usage: Usage | null): ExecLine {
  if (turn.status === 'completed') {
    return {
      type: 'turn.completed',
      usage: {
        input_tokens: usage?.inputTokens ?? 0,
        cached_input_tokens: usage?.cachedInputTokens ?? 0,
        output_tokens: usage?.outputTokens ?? 0,
      },
    };
  }
  return { type: 'turn.failed', error: { message: turn.error?.message ?? `the turn was ${turn.status}` } };
}

export const errorLine = (message: string): ExecLine => ({ type: 'error', message });
