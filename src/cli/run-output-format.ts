import type { IndexedRunEvent, RunEvent, RunEventPage } from '../shared/run-event';
import { firstLine, toolInputPreview } from '../shared/run-event-text';

type ToolResult = Extract<RunEvent, { type: 'tool_result' }>;

/**
 * `wg output AGENT` for a person: the run's output as it reads in the window's Run output, as text. What the agent
 * said, whole; each tool call on one line with how it went and the first line of its result; thinking as its first
 * line; the end with its cost. A result printed right after its call is folded into the call's line (the window does
 * the same); the whole record stays in `--json`.
 */
export function runOutputText(page: RunEventPage): string {
  const results = new Map<string, ToolResult>();
  for (const { event } of page.events) if (event.type === 'tool_result') results.set(event.tool_use_id, event);
  const shownWithCall = new Set<string>();
  const lines: string[] = [];
  for (const item of page.events) {
    const line = eventText(item, results, shownWithCall);
    if (line !== null) lines.push(line);
  }
  const end = page.offset + page.events.length;
  if (page.total === 0) lines.push(`${page.agent_id} has printed nothing yet`);
  else if (page.offset > 0 || end < page.total) {
    const next = end < page.total ? `; next: wg output ${page.agent_id} --offset ${end}` : '';
    lines.push(`── events ${page.offset + 1}–${end} of ${page.total}${next}`);
  }
  return lines.join('\n');
}

function eventText(item: IndexedRunEvent, results: ReadonlyMap<string, ToolResult>, shownWithCall: Set<string>): string | null {
  const { event } = item;
  switch (event.type) {
    case 'session':
      return `── session ${event.session_id}${event.model ? ` · ${event.model}` : ''}`;
    case 'text':
      return event.text.replace(/\n+$/, '');
    case 'raw':
      return event.text.replace(/\n+$/, '');
    case 'stderr':
      return event.text
        .replace(/\n+$/, '')
        .split('\n')
        .map((line) => `stderr: ${line}`)
        .join('\n');
    case 'thinking':
      return `(thinking) ${firstLine(event.text, 120)}`;
    case 'tool_use': {
      const result = results.get(event.id);
      if (result) shownWithCall.add(event.id);
      const how = result ? `${result.is_error ? '✗' : '✓'} ${firstLine(result.output, 100) || '(no output)'}` : '… running';
      return `▸ ${event.name}: ${toolInputPreview(event.input, 120)}  ${how}`;
    }
    case 'tool_result':
      if (shownWithCall.has(event.tool_use_id)) return null;
      return `  ↳ ${event.is_error ? 'error' : 'result'}: ${firstLine(event.output, 120)}`;
    case 'result':
      return [`── ${event.is_error ? 'Run failed' : 'Run finished'}${costText(event)}`, ...(event.text ? [event.text] : [])].join('\n');
  }
}

function costText(event: Extract<RunEvent, { type: 'result' }>): string {
  const parts: string[] = [];
  if (event.cost_usd !== null) parts.push(`$${event.cost_usd.toFixed(4)}`);
  if (event.tokens_in !== null || event.tokens_out !== null) parts.push(`${event.tokens_in ?? 0} tokens in, ${event.tokens_out ?? 0} out`);
  if (event.turns !== null) parts.push(`${event.turns} turn${event.turns === 1 ? '' : 's'}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
