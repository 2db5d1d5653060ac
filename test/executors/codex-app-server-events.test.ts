import { describe, expect, it } from 'vitest';
import { itemLine, threadStarted, turnEnded } from '../../src/core/executors/codex-app-server/exec-events';
import { notifications } from '../../src/core/executors/codex-app-server/protocol';
import { codexJsonParser } from '../../src/core/runs/output';

/**
 * The app server's notifications (as codex 0.169 sends them: shapes from `codex app-server generate-ts` and a real
 * run's transcript) said as `codex exec --json` lines, read by the parser every codex run's output goes through.
 */
const item = (payload: Record<string, unknown>) =>
  notifications['item/completed'].parse({ item: payload, threadId: 't', turnId: 'u', completedAtMs: 1 }).item;

function parsed(lines: Array<Record<string, unknown> | null>) {
  const parser = codexJsonParser();
  const text = lines
    .filter((l) => l !== null)
    .map((l) => `${JSON.stringify(l)}\n`)
    .join('');
  return [...parser.push(text), ...parser.end()];
}

describe("codex app-server's notifications as codex exec's lines", () => {
  it('a thread, a command, a file change, reasoning, an MCP call and the last message: the events exec gave', () => {
    const usage = notifications['thread/tokenUsage/updated'].parse({
      threadId: 't',
      turnId: 'u',
      tokenUsage: {
        total: {
          totalTokens: 3150,
          inputTokens: 3000,
          cachedInputTokens: 600,
          cacheWriteInputTokens: 0,
          outputTokens: 150,
          reasoningOutputTokens: 0,
        },
        last: {
          totalTokens: 1050,
          inputTokens: 1000,
          cachedInputTokens: 200,
          cacheWriteInputTokens: 0,
          outputTokens: 50,
          reasoningOutputTokens: 0,
        },
        modelContextWindow: 258400,
      },
    }).tokenUsage.total;
    const turn = notifications['turn/completed'].parse({
      threadId: 't',
      turn: {
        id: 'u',
        rootTurnId: 'u',
        items: [],
        itemsView: 'summary',
        status: 'completed',
        error: null,
        startedAt: 1,
        completedAt: 2,
        durationMs: 1,
      },
    }).turn;
    const command = {
      type: 'commandExecution',
      id: 'call_2',
      command: "/bin/bash -c 'echo second'",
      cwd: '/p',
      processId: '77206',
      source: 'unifiedExecStartup',
      commandActions: [],
      durationMs: 0,
    };
    const events = parsed([
      threadStarted('thread-1'),
      itemLine(
        'item.started',
        item({ type: 'userMessage', id: 'm0', clientId: null, content: [{ type: 'text', text: 'the prompt', text_elements: [] }] }),
      ),
      itemLine('item.started', item({ ...command, status: 'inProgress', aggregatedOutput: null, exitCode: null })),
      itemLine('item.completed', item({ ...command, status: 'completed', aggregatedOutput: 'second\n', exitCode: 0 })),
      itemLine('item.completed', item({ type: 'reasoning', id: 'r1', summary: ['**Looking**'], content: [] })),
      itemLine(
        'item.completed',
        item({ type: 'fileChange', id: 'f1', changes: [{ path: 'a.ts', kind: { type: 'add' }, diff: '+x' }], status: 'completed' }),
      ),
      itemLine(
        'item.completed',
        item({
          type: 'mcpToolCall',
          id: 'x1',
          server: 'docs',
          tool: 'search',
          status: 'failed',
          arguments: { q: 'wg' },
          result: null,
          error: { message: 'no such tool' },
        }),
      ),
      itemLine('item.completed', item({ type: 'agentMessage', id: 'msg_3', text: 'All done.', phase: null })),
      turnEnded(turn, usage),
    ]);
    expect(events).toEqual([
      { type: 'session', session_id: 'thread-1', model: null },
      { type: 'tool_use', id: 'call_2', name: 'command_execution', input: { command: "/bin/bash -c 'echo second'" } },
      { type: 'tool_result', tool_use_id: 'call_2', output: 'second\n', is_error: false },
      { type: 'thinking', text: '**Looking**' },
      { type: 'tool_use', id: 'f1', name: 'file_change', input: { changes: [{ path: 'a.ts', kind: 'add' }] } },
      { type: 'tool_result', tool_use_id: 'f1', output: 'add a.ts', is_error: false },
      { type: 'tool_use', id: 'x1', name: 'mcp:docs/search', input: { q: 'wg' } },
      { type: 'tool_result', tool_use_id: 'x1', output: 'no such tool', is_error: true },
      { type: 'text', text: 'All done.' },
      { type: 'result', is_error: false, text: 'All done.', cost_usd: null, tokens_in: 3000, tokens_out: 150, turns: 1 },
    ]);
  });

  it("a failed turn: its error's message is the run's result", () => {
    const turn = notifications['turn/completed'].parse({
      threadId: 't',
      turn: { id: 'u', status: 'failed', error: { message: 'Your input exceeds the context window of this model.', codexErrorInfo: null } },
    }).turn;
    expect(parsed([turnEnded(turn, null)])).toEqual([
      {
        type: 'result',
        is_error: true,
        text: 'Your input exceeds the context window of this model.',
        cost_usd: null,
        tokens_in: null,
        tokens_out: null,
        turns: 1,
      },
    ]);
  });
});
