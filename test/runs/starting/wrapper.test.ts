import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beginBy, uptimeHundredths, wrapperArgs } from '../../../src/core/runs/starting/wrapper';

describe('what the wrapper is told to run', () => {
  it('passes the run folder, the cgroup and the time to begin by (empty when none) before the command, and the command untouched', () => {
    const args = wrapperArgs('/runs/agent-1', null, '', 'bash', ['-c', 'echo $$; exit 3']);
    expect(args.slice(2)).toEqual(['/runs/agent-1', '', '', 'bash', '-c', 'echo $$; exit 3']);
    expect(wrapperArgs('/runs/agent-1', '/sys/fs/cgroup/wg-run-x', '123456', 'codex', []).slice(2)).toEqual([
      '/runs/agent-1',
      '/sys/fs/cgroup/wg-run-x',
      '123456',
      'codex',
    ]);
  });
});

/** The machine's uptime in hundredths of a second (/proc/uptime), as the wrapper reads it. */
const uptime = () => Math.round(Number((readFileSync('/proc/uptime', 'utf8').split(' ')[0] ?? '').trim()) * 100);

describe('the time a run may begin by', () => {
  it.runIf(existsSync('/proc/uptime'))('is the uptime in hundredths of a second plus the window, or none without a limit', () => {
    const before = uptime();
    const now = uptimeHundredths();
    expect(now).not.toBeNull();
    expect(Math.abs((now as number) - before)).toBeLessThanOrEqual(1);
    expect(beginBy(123_456, 5_000)).toBe('123956');
    expect(beginBy(123_456, 4_999)).toBe('123955');
    expect(beginBy(123_456, Number.POSITIVE_INFINITY)).toBe('');
    expect(beginBy(null, 5_000)).toBe('');
  });
});
