import { describe, expect, it } from 'vitest';
import { isTeamKey, mergeTeam, splitTeam } from '../../src/core/config/team-keys';

describe("the team's settings and the machine's", () => {
  it("splits a config table: the team's sections and settings as rows, the rest the machine's", () => {
    const { team, machine } = splitTeam({
      coordinator: { max_agents: 8, model: 'opus', poll_interval: 30 },
      agent: { sandbox: true, max_retries: 4 },
      executors: { mine: { type: 'shell' } },
      service: { listen: '0.0.0.0:8443' },
      store: { url: 'postgresql:///wg' },
    });
    expect(Object.fromEntries(team)).toEqual({
      'coordinator.model': 'opus',
      'agent.max_retries': 4,
      executors: { mine: { type: 'shell' } },
    });
    expect(machine).toEqual({
      coordinator: { max_agents: 8, poll_interval: 30 },
      agent: { sandbox: true },
      service: { listen: '0.0.0.0:8443' },
      store: { url: 'postgresql:///wg' },
    });
  });

  it("reads the team's rows in place of the file's own copies of them", () => {
    const file = { coordinator: { max_agents: 2, model: 'haiku' }, models: { old: { provider: 'anthropic' } } };
    const merged = mergeTeam(
      file,
      new Map<string, unknown>([
        ['coordinator.model', 'opus'],
        ['agency', { auto_evaluate: true }],
      ]),
    );
    expect(merged).toEqual({ coordinator: { max_agents: 2, model: 'opus' }, agency: { auto_evaluate: true } });
    expect(file.coordinator.model).toBe('haiku');
  });

  it('names the keys `wg config` writes by where they live', () => {
    for (const key of [
      'coordinator.model',
      'coordinator.executor',
      'agent.timeout',
      'agency.eval_threshold',
      'guardrails.follow_up_min_interval',
    ])
      expect(isTeamKey(key), key).toBe(true);
    for (const key of [
      'coordinator.max_agents',
      'coordinator.poll_interval',
      'service.listen',
      'service.tls_cert',
      'agent.sandbox',
      'coordinator.worktrees',
    ])
      expect(isTeamKey(key), key).toBe(false);
  });
});
