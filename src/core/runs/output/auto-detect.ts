import type { OutputParser } from '../../executors/launch';
import type { RunEvent } from '../../../shared/run-event';
import { claudeStreamParser } from './claude-stream';
import { codexJsonParser } from './codex-json';
import { parseJsonObject } from './narrow';
import { plainParser } from './plain';

/** Output held back before deciding without a whole first line (a CLI that prints no newline for long). */
const DECIDE_BY = 64 * 1024;

/** Claude Code's stream-json opens with {"type":"system",…}; its other event types follow. */
const CLAUDE_TYPES = new Set(['system', 'assistant', 'user', 'result']);
/** `codex exec --json` opens with {"type":"thread.started",…}; turn.* and item.* follow. */
const CODEX_TYPE = /^(thread|turn|item)\./;

/**
 * The parser for a CLI whose output format was not named (an agent daemon's CLI_COMMAND without
 * CLI_OUTPUT): its first line says which it is, Claude's stream-json, codex's JSON lines, or plain
 * text, and the tokens and cost those formats carry are read as they would be when named.
 */
export function autoDetectParser(): OutputParser {
  let chosen: OutputParser | null = null;
  let held = '';
  const choose = (firstLine: string): OutputParser => {
    const type = parseJsonObject(firstLine.trim())?.type;
    if (typeof type === 'string' && CLAUDE_TYPES.has(type)) return claudeStreamParser();
    if (typeof type === 'string' && CODEX_TYPE.test(type)) return codexJsonParser();
    return plainParser();
  };
  return {
    push(chunk: string): RunEvent[] {
      if (chosen) return chosen.push(chunk);
      held += chunk;
      const firstLine = held.split('\n').find((line) => line.trim() !== '');
      const whole = firstLine !== undefined && held.includes('\n', held.indexOf(firstLine));
      if (!whole && held.length < DECIDE_BY) return [];
      chosen = choose(firstLine ?? held);
      const all = held;
      held = '';
      return chosen.push(all);
    },
    end(): RunEvent[] {
      if (chosen) return chosen.end();
      chosen = choose(held);
      return [...chosen.push(held), ...chosen.end()];
    },
  };
}
