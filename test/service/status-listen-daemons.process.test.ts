import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import type { ServiceStatus } from '../../src/shared/service-types';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { DaemonProject, waitFor } from './helpers/daemon-project';

/**
 * `wg service status` of a coordinator started with --listen: the address it listens on, as a flag's override (it
 * said `service.listen (unset) (default)`), and the agent daemons connected to it (it said nothing of them).
 */
const p = new DaemonProject('wg-status-listen-');
let port = 0;

beforeAll(async () => {
  await p.init();
  const token = await p.json<CreatedAgentToken>(['token', 'create', 'lap']);
  const started = await p.start(['--listen', '127.0.0.1:0']);
  port = Number(new URL(started.url ?? '').port);
  startAgentd('lap', {
    ...(process.env as Record<string, string>),
    WG_COORDINATOR_URL: `http://127.0.0.1:${port}`,
    WG_AGENT_TOKEN: token.token,
    REPO_PATHS: `acme/app=${makeRepo('wg-status-listen-repo-')}`,
    CLI_COMMAND: 'true',
  });
});
afterAll(async () => {
  killMarked();
  await p.remove();
});

describe('wg service status', () => {
  it('shows the address --listen put in force, as the override it is', async () => {
    const status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status.settings?.find((e) => e.key === 'service.listen')).toEqual({
      key: 'service.listen',
      value: `127.0.0.1:${port}`,
      source: 'override',
    });
    expect(status.settings?.find((e) => e.key === 'service.insecure')).toMatchObject({ value: false, source: 'override' });
    expect(await p.ok(['service', 'status'])).toMatch(new RegExp(`service\\.listen +127\\.0\\.0\\.1:${port} +\\(override\\)`));
  });

  it('says how many agent daemons are connected, and which', async () => {
    const status = await waitFor('the daemon connected', async () => {
      const now = await p.json<ServiceStatus>(['service', 'status']);
      return now.agent_daemons?.connected === 1 ? now : null;
    });
    expect(status.agent_daemons).toEqual({ connected: 1, names: ['lap'] });
    expect(await p.ok(['service', 'status'])).toContain('agent daemons: 1 connected (lap)');
  });
});
