import type { RunEvent } from '../../shared/run-event';

/**
 * What Claude Code 2.1.330 prints when --resume cannot load the session (observed):
 *   {"type":"result","subtype":"error_during_execution","is_error":true,"num_turns":0,
 *    "errors":["No conversation found with session ID: <id>"],…}
 * or, for a value that is neither a UUID nor a session title,
 *   "errors":["Error: --resume requires a valid session ID or session title when used with --print. …"]
 * and exits 1 without a system/init line.
 */
const RESUME_FAILURE = /no conversation found|--resume requires|session (?:id|title).*(?:not found|invalid|does not match)/i;

/**
 * True when a `--resume` run failed because the session could not be resumed (so the coordinator
 * should start the task afresh), not because the work itself failed: non-zero exit, nothing done
 * (no text, no tool call), and the error names the resume.
 */
export function shouldRetryFresh(exitCode: number | null, events: readonly RunEvent[]): boolean {
  if (exitCode === 0 || exitCode === null) return false;
  const didWork = events.some((e) => e.type === 'tool_use' || e.type === 'text' || e.type === 'thinking');
  if (didWork) return false;
  return events.some((e) => {
    if (e.type === 'result') return e.is_error && (e.turns ?? 0) === 0 && RESUME_FAILURE.test(e.text ?? '');
    if (e.type === 'raw' || e.type === 'stderr') return RESUME_FAILURE.test(e.text);
    return false;
  });
}
