import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { shouldRetryFresh } from '../../src/core/executors';
import { claudeStreamParser } from '../../src/core/runs/output';
import type { RunEvent } from '../../src/shared/run-event';

function recorded(name: string): RunEvent[] {
  const parser = claudeStreamParser();
  return [
    ...parser.push(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'claude-stream', `${name}.jsonl`), 'utf8')),
    ...parser.end(),
  ];
}

describe('shouldRetryFresh', () => {
  it('recognises a resume of an unknown session (recorded real output, exit 1)', () => {
    expect(shouldRetryFresh(1, recorded('resume-missing'))).toBe(true);
  });

  it('recognises the CLI refusing a value that is not a session', () => {
    const events: RunEvent[] = [
      {
        type: 'result',
        is_error: true,
        cost_usd: 0,
        tokens_in: 0,
        tokens_out: 0,
        turns: 0,
        text: 'Error: --resume requires a valid session ID or session title when used with --print.',
      },
    ];
    expect(shouldRetryFresh(1, events)).toBe(true);
    expect(shouldRetryFresh(1, [{ type: 'stderr', text: 'No conversation found with session ID: abc' }])).toBe(true);
  });

  it('does not retry runs that worked, failed for other reasons, or were killed', () => {
    expect(shouldRetryFresh(0, recorded('hello'))).toBe(false);
    expect(shouldRetryFresh(1, recorded('api-error'))).toBe(false);
    expect(shouldRetryFresh(null, recorded('resume-missing'))).toBe(false);
    expect(shouldRetryFresh(1, [])).toBe(false);
  });
});
