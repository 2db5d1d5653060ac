/*
 * Upstream's parse_stream_json_stats: the turns and tool calls of a run's output in
 * Claude Code's stream-json, one JSON object a line; other lines are not counted.
 */

export interface StreamStats {
  toolCalls: number;
  turns: number;
}

const typeOf = (value: unknown): unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;

export function streamJsonStats(output: string): StreamStats {
  let toolCalls = 0;
  let turns = 0;
  for (const raw of output.split('\n')) {
    const line = raw.trim();
    if (!line.startsWith('{')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line) as unknown;
    } catch {
      continue;
    }
    const type = typeOf(value);
    if (type === 'assistant') turns++;
    else if (type === 'tool_use') toolCalls++;
    // The final result counts as a turn when nothing else did.
    else if (type === 'result' && turns === 0) turns = 1;
    if (typeOf((value as { content_block?: unknown }).content_block) === 'tool_use') toolCalls++;
  }
  return { toolCalls, turns };
}
