import { describe, expect, it } from 'vitest';
import { agentdStatusText } from '../../src/cli/agentd-status-format';
import { PLAIN_TERMINAL } from '../../src/cli/terminal';
import type { ConnectedDaemon, DaemonJob, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';

const daemon = (host: string, extra: Partial<ConnectedDaemon> = {}): ConnectedDaemon => ({
  id: `id-${host}`,
  host,
  version: '0.1.0',
  token: 'box',
  roles: [],
  repos: [],
  clis: [],
  capacity: 2,
  active: 1,
  connected_at: '2026-03-01T12:00:00.000Z',
  last_heartbeat: '2026-03-01T12:00:05.000Z',
  downgraded_until: null,
  downgrade_reason: null,
  ...extra,
});
const job = (agent: string, task: string, state: DaemonJob['state'], outcome: string | null = null): DaemonJob => ({
  lease_id: `l-${agent}`,
  agent_id: agent,
  task_id: task,
  daemon_host: 'box-1',
  token_name: 'box',
  repo: 'acme/app',
  role: null,
  state,
  created_at: '2026-03-01T12:01:00.000Z',
  ended_at: outcome ? '2026-03-01T12:02:00.000Z' : null,
  outcome,
});
const status = (extra: Partial<AgentDaemonsStatus>): AgentDaemonsStatus => ({
  accepting: true,
  daemons: [],
  active_jobs: [],
  recent_jobs: [],
  waiting: [],
  ...extra,
});

describe('wg agentd status, as a person reads it', () => {
  it('lists the daemons, what runs, what waits and what ended', () => {
    const text = agentdStatusText(
      status({
        daemons: [
          daemon('box-1', { repos: ['acme/app'], roles: ['dev', 'qa'] }),
          daemon('box-2', { active: 0, downgraded_until: '2026-03-01T13:00:00.000Z', downgrade_reason: 'usage limit' }),
        ],
        active_jobs: [job('agent-4', 'build', 'running')],
        waiting: [{ task_id: 'deploy', reason: 'waiting for an agent daemon with repo acme/ops' }],
        recent_jobs: [job('agent-2', 'lint', 'done', 'exit 0'), job('agent-3', 'test', 'failed', 'exit code 1')],
      }),
      PLAIN_TERMINAL,
    );
    expect(text.split('\n')).toEqual([
      'Agent daemons (2):',
      '  box-1  1/2 busy  token box  repos acme/app, roles dev, qa  connected 2026-03-01T12:00:00.000Z',
      '  box-2  0/2 busy  token box  any repo, any role  connected 2026-03-01T12:00:00.000Z; out of quota until 2026-03-01T13:00:00.000Z (usage limit)',
      '',
      'Running (1):',
      '  agent-4  build  on box-1  running since 2026-03-01T12:01:00.000Z',
      '',
      'Waiting for a daemon (1):',
      '  deploy  waiting for an agent daemon with repo acme/ops',
      '',
      'Ended lately:',
      '  agent-2  lint  on box-1  done: exit 0',
      '  agent-3  test  on box-1  failed: exit code 1',
    ]);
  });

  it('says how to start a daemon when none is connected, and when the coordinator is not running', () => {
    expect(agentdStatusText(status({}), PLAIN_TERMINAL)).toBe(
      'No agent daemon connected (start one with wg agentd on the machine that runs the jobs)',
    );
    expect(agentdStatusText(status({ accepting: false }), PLAIN_TERMINAL)).toContain('The coordinator is not running');
  });
});
