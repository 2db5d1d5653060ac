import type { RunEvent } from '../../shared/run-event';

/**
 * The JSON object in a model's answer, as upstream's extract_json reads it: the whole text, else
 * inside markdown fences, else from the first `{` to the last `}`. Null when none parses.
 */
export function extractJsonObject(text: string): Record<string, unknown> | null {
  const trimmed = text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)?.[1];
  const start = trimmed.indexOf('{');
  const end = trimmed.lastIndexOf('}');
  const candidates = [trimmed, fenced, start !== -1 && end > start ? trimmed.slice(start, end + 1) : undefined];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      const value: unknown = JSON.parse(candidate);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // try the next reading
    }
  }
  return null;
}

/** What a finished one-shot run answered: its result text, else everything it said. */
export function answerText(events: readonly RunEvent[]): string {
  const result = [...events].reverse().find((e) => e.type === 'result');
  if (result?.type === 'result' && result.text) return result.text;
  return events.map((e) => (e.type === 'text' ? e.text : '')).join('\n');
}
