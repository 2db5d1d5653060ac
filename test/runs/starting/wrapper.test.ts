import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beginBy, wrapperArgs } from '../../../src/core/runs/starting/wrapper';

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
    const by = Number(beginBy(5_000));
    expect(by).toBeGreaterThanOrEqual(before + 500 - 1);
    expect(by).toBeLessThanOrEqual(uptime() + 500 + 1);
    expect(beginBy(Number.POSITIVE_INFINITY)).toBe('');
  });
});
