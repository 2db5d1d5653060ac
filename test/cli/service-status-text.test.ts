import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/service-format';
import type { ServiceStatus } from '../../src/shared/service-types';

const running: ServiceStatus = {
  status: 'running',
  running: true,
  pid: 4242,
  started_at: '2026-11-26T10:00:00.000Z',
  uptime_seconds: 90,
  paused: false,
  max_agents: 4,
  url: 'http://127.0.0.1:4000/',
  agents: { working: 0, done: 2, failed: 0, dead: 0 },
  recent_errors: [],
};

describe('wg service status for people', () => {
  it("says what the window's banner says while graph.jsonl or messages/ are not in step, a line each", () => {
    const problem = [
      'graph.jsonl not synced: line 5 of graph.jsonl is a merge conflict marker (<<<<<<<): finish the merge',
      'messages not synced: graph.lock stayed locked',
    ].join('\n');
    const lines = formatStatus({ ...running, sync_problem: problem }).split('\n');
    expect(lines.filter((line) => line.startsWith('upstream sync: '))).toEqual([
      'upstream sync: graph.jsonl not synced: line 5 of graph.jsonl is a merge conflict marker (<<<<<<<): finish the merge',
      'upstream sync: messages not synced: graph.lock stayed locked',
    ]);
    expect(formatStatus(running)).not.toContain('upstream sync');
  });
});
