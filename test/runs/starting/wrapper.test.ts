import { describe, expect, it } from 'vitest';
import { wrapperArgs } from '../../../src/core/runs/starting/wrapper';

describe('what the wrapper is told to run', () => {
  it('passes the run folder and the cgroup (empty when none) before the command, and the command untouched', () => {
    const args = wrapperArgs('/runs/agent-1', null, 'bash', ['-c', 'echo $$; exit 3']);
    expect(args.slice(2)).toEqual(['/runs/agent-1', '', 'bash', '-c', 'echo $$; exit 3']);
    expect(wrapperArgs('/runs/agent-1', '/sys/fs/cgroup/wg-run-x', 'codex', []).slice(2)).toEqual([
      '/runs/agent-1',
      '/sys/fs/cgroup/wg-run-x',
      'codex',
    ]);
  });
});
