import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/agent-daemon-types';
import { STEERS } from './support/hostile-text';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { RawClient } from '../agentd/helpers/raw-client';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/**
 * User data reaches a terminal as text, never as commands to it: an agent daemon's output and the coordinator's
 * log (wg's own output is in terminal-text.test.ts).
 */
const d = new DaemonProject('wg-terminal-logs-');
afterAll(async () => {
  killMarked();
  await d.remove();
});

describe("wg agentd's output and the coordinator's log", () => {
  it("carry a failed run's stderr and an agent daemon's host name as text", async () => {
    // printf's octal escapes: a window title, red, a C1 CSI clearing the screen.
    const noisy = 'printf "\\033]0;owned\\007\\033[31mboom\\302\\2332J" >&2; exit 3';
    await d.init();
    await d.ok(['config', '--max-agents', '2']);
    const token = (await d.json<CreatedAgentToken>(['token', 'create', 'one'])).token;
    const url = ((await d.start()).url ?? '').replace(/\/#token=.*$/, '');
    const agentd = startAgentd('box', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: url,
      WG_AGENT_TOKEN: token,
      REPO_PATHS: `acme/app=${makeRepo('wg-terminal-repo-')}`,
      CLI_COMMAND: 'sh',
      CLI_ARGS_TEMPLATE: `-c '${noisy}'`,
    });
    const hostile = await RawClient.open(url);
    hostile.auth(token);
    await hostile.next('auth.ok');
    // Another repository: the remote task below goes to the real daemon.
    hostile.register('evil\u001b]0;owned\u0007\u001b[31m', [], { repos: ['other/repo'] });
    await hostile.next('agent.registered');
    await d.ok(['add', 'Local', '--id', 'local', '--executor', 'shell', '--exec', noisy, '--max-retries', '0']);
    await d.ok(['add', 'Remote', '--id', 'remote', '--executor', 'remote', '--repo', 'acme/app', '--max-retries', '0']);

    const serviceLog = join(d.root, '.workgraph', 'service', 'daemon.log');
    const log = () => (existsSync(serviceLog) ? readFileSync(serviceLog, 'utf8') : '');
    await waitFor(
      'both failures logged',
      () => /local[^\n]*boom/.test(log()) && /failed \(exit\)[^\n]*boom/.test(agentd.log()),
      20_000,
      100,
    ).catch((error: Error) => {
      throw new Error(`${error.message}; daemon.log:\n${log()}\nagentd:\n${agentd.log()}`);
    });
    await waitFor('the hostile host logged', () => /agent daemon evil[^\n]*registered/.test(log()), 20_000, 100);
    expect(log()).not.toMatch(STEERS);
    expect(agentd.log()).not.toMatch(STEERS);
    expect((await d.wg(['service', 'status'])).stdout).not.toMatch(STEERS);
  });
});
