import type { RunEvent } from '../../../shared/run-event';

/** An API error body quoted whole (codex passes 4xx bodies on as they are): its message is the account. */
function unwrapErrorBody(text: string): string {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{')) return text;
  try {
    const body = JSON.parse(trimmed) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof body.error === 'object' ? body.error?.message : typeof body.error === 'string' ? body.error : body.message;
    return typeof inner === 'string' && inner.trim() !== '' ? inner : text;
  } catch {
    return text;
  }
}

/**
 * The agent's own account of why its run failed, read from its events: the last result that is
 * an error (Claude's result event, codex's turn.failed or trailing error), else null.
 */
export function agentAccount(events: readonly RunEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (event?.type === 'result' && event.is_error && event.text && event.text.trim() !== '') return unwrapErrorBody(event.text);
  }
  return null;
}
