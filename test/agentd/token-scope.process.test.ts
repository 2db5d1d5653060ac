import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken, AgentDaemonsStatus } from '../../src/shared/agent-daemon-types';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * A daemon that offers repositories or roles its token does not allow: told so when it connects (one line), never
 * counted as the daemon a task waits for, and ended when nothing it offers is allowed. It was taken in and idled,
 * while the task said it waited for exactly such a daemon.
 */
const p = new DaemonProject('wg-agentd-scope-');
const app = makeRepo('wg-scope-app-');
const shop = makeRepo('wg-scope-shop-');
let url = '';
let token = '';

const env = (more: Record<string, string>) => ({
  ...(process.env as Record<string, string>),
  WG_COORDINATOR_URL: url,
  WG_AGENT_TOKEN: token,
  CLI_COMMAND: 'true',
  ...more,
});

beforeAll(async () => {
  await p.init();
  token = (await p.json<CreatedAgentToken>(['token', 'create', 'lap', '--repos', 'acme/app', '--roles', 'dev'])).token;
  const started = await p.start();
  url = (started.url ?? '').replace(/\/#token=.*$/, '');
});
afterAll(async () => {
  killMarked();
  await p.remove();
});

describe("an agent daemon and its token's repos and roles", () => {
  it('nothing it offers is allowed: one line naming what the token allows, and a nonzero exit', async () => {
    const daemon = startAgentd('shop-only', env({ REPO_PATHS: `shop=${shop}`, ROLES: 'dev' }));
    const result = await daemon.proc;
    expect(result.exitCode).toBe(2);
    const lines = daemon.log().trim().split('\n');
    expect(lines.at(-1)).toMatch(
      /error the coordinator refused this daemon: agent token 'lap' allows none of the repositories this daemon offers \(shop\); it allows acme\/app: offer one of those in REPO_PATHS, or use a token made for these \(wg token create NAME --repos shop\)$/,
    );
    expect(lines.filter((line) => line.includes('shop)'))).toHaveLength(1);
    expect((await p.json<AgentDaemonsStatus>(['agentd', 'status'])).daemons).toEqual([]);
  });

  it('some of it is not allowed: told in one line at connect, and a task for it does not wait for this daemon', async () => {
    const daemon = startAgentd('mixed', env({ REPO_PATHS: `acme/app=${app},shop=${shop}`, ROLES: 'dev,qa' }));
    await waitFor('the scope line', () => daemon.log().includes('does not allow'));
    expect(daemon.log()).toContain(
      "agent token 'lap' does not allow repo shop, role qa offered here: no job for them comes to this daemon (it allows repo acme/app; role dev)",
    );
    await p.ok(['add', 'Shop work', '--id', 'shop-work', '--executor', 'remote', '--repo', 'shop', '--role', 'dev']);
    const reason = await waitFor(
      'the waiting reason',
      async () => (await p.json<AgentDaemonsStatus>(['agentd', 'status'])).waiting.find((w) => w.task_id === 'shop-work')?.reason,
    );
    expect(reason).toBe(
      "waiting for an agent daemon with repo shop, role dev (mixed offers it, but its token 'lap' does not allow repo shop)",
    );
    expect(daemon.proc.exitCode).toBeNull();
  });
});
