/*
 * Two failures an agent CLI reports in its own structured account (Claude's result event, codex's
 * turn.failed), never guessed from a shell task's or a plain program's text: the model API failing on
 * its side, and the conversation no longer fitting the model's context.
 */

/**
 * The API failed on its side and may answer next time: a 500, 502, 503, 504 or 529, or its words for
 * them. Claude Code 2.1.330 says "API Error: 529 {…overloaded_error…}" once its own retries are spent
 * (observed against a scripted server), and the same with the status for the others; codex says
 * "exceeded retry limit, last status: 500 Internal Server Error" as it does for a 429.
 */
const SERVER_SIDE =
  /\b(?:API Error:?|status:?|last status:?)\s*(?:500|502|503|504|529)\b|\b529\b|\boverloaded(?:_error)?\b|internal server error|bad gateway|service unavailable|gateway time-?out/i;

/** The account's line that says the API failed on its side, or null. */
export function serverSideFailure(account: string | null | undefined): string | null {
  if (!account) return null;
  const line = account.split('\n').find((l) => SERVER_SIDE.test(l));
  if (line === undefined) return null;
  const flat = line.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

/**
 * The conversation outgrew the model's context: Claude Code's "Prompt is too long", codex's "Your input
 * exceeds the context window of this model.", OpenAI's context_length_exceeded. Resuming the same session
 * sends it all again: the next attempt starts a fresh session, with a shorter prompt.
 */
const CONTEXT_OVERFLOW =
  /prompt is too long|exceeds the context window|context[_ ]length[_ ]exceeded|maximum context length|input is too long/i;

export function isContextOverflow(text: string | null | undefined): boolean {
  return typeof text === 'string' && CONTEXT_OVERFLOW.test(text);
}
