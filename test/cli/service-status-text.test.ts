import { describe, expect, it } from 'vitest';
import { formatStatus } from '../../src/cli/service-format';
import type { LeaseMember, ServiceStatus } from '../../src/shared/service-types';

const running: ServiceStatus = {
  status: 'running',
  running: true,
  pid: 4242,
  started_at: '2026-11-26T10:00:00.000Z',
  uptime_seconds: 90,
  paused: false,
  max_agents: 4,
  url: 'http://127.0.0.1:4000/',
  agents: { working: 0, done: 2, failed: 0, dead: 0, killed: 0 },
  recent_errors: [],
};

describe('wg service status for people', () => {
  it('asks an older coordinator, whose answer has no count of killed runs, and says no count it was not given', () => {
    const { killed: _, ...older } = running.agents;
    const lines = formatStatus({ ...running, agents: older }).split('\n');
    expect(lines).toContain('agents: 0 working, 2 done, 0 failed, 0 dead');
    expect(formatStatus(running).split('\n')).toContain('agents: 0 working, 2 done, 0 failed, 0 dead, 0 killed');
  });

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

  it("says, while a team's database cannot be reached, since when and why, that runs go on, and how many writes wait", () => {
    const away = {
      since: '2026-11-26T10:01:00.000Z',
      last_error: 'cannot reach the PostgreSQL server of postgresql://db/team (connection refused); is it running?',
      waiting: 2,
    };
    const lines = formatStatus({ ...running, database_outage: away }).split('\n');
    expect(lines).toContain(
      "database: cannot be reached since 2026-11-26T10:01:00.000Z (cannot reach the PostgreSQL server of postgresql://db/team (connection refused); is it running?); runs and agent daemons' jobs go on; 2 write(s) wait for it",
    );
    expect(formatStatus({ ...running, database_outage: { ...away, waiting: 0 } })).not.toContain('wait for it');
    expect(formatStatus(running)).not.toContain('database:');
  });

  it("names each of a team's coordinators as it is: active, killed on this machine, stopped, lost", () => {
    const member = (id: string, role: LeaseMember['role'], more: Partial<LeaseMember> = {}): LeaseMember => ({
      id,
      role,
      epoch: 3,
      host: 'vm',
      folder: `/srv/${id}`,
      pid: 100,
      url: null,
      started_at: '2026-11-26T10:00:00.000Z',
      since: '2026-11-26T10:00:00.000Z',
      renewed_at: '2026-11-26T10:05:00.000Z',
      expires_in_ms: 3000,
      ...more,
    });
    const status: ServiceStatus = {
      ...running,
      lease: {
        me: 'm1',
        role: 'active',
        coordinators: [
          member('m1', 'active'),
          member('m3', 'active', { gone: true, expires_in_ms: 1200 }),
          member('m2', 'stopped', { expires_in_ms: -20_000 }),
          member('m4', 'lost', { expires_in_ms: -60_000 }),
        ],
      },
    };
    const text = formatStatus(status).split('\n');
    // The runs the store counts are the team's; the cap beside them is this coordinator's (not "9 of 3").
    expect(text.slice(1, 3)).toEqual([
      "max agents: 4 (this coordinator's)",
      "agents, the team's: 0 working, 2 done, 0 failed, 0 dead, 0 killed",
    ]);
    expect(text.filter((line) => line.startsWith('  '))).toEqual([
      '  active: vm:/srv/m1 (pid 100) at no address — this one, epoch 3, since 2026-11-26T10:00:00.000Z, renewed 2026-11-26T10:05:00.000Z',
      '  active: vm:/srv/m3 (pid 100) at no address, epoch 3, since 2026-11-26T10:00:00.000Z, renewed 2026-11-26T10:05:00.000Z (its process is not running on this machine)',
      '  stopped: vm:/srv/m2 (pid 100) at no address, at 2026-11-26T10:05:00.000Z',
      '  lost:   vm:/srv/m4 (pid 100) at no address, last renewed 2026-11-26T10:05:00.000Z',
    ]);
  });
});
