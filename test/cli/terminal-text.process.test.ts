import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedAgentToken } from '../../src/shared/remote-types';
import { TempProject } from '../helpers/wg-cli';
import { plainText } from '../../src/core/text/plain-text';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { RawClient } from '../agentd/helpers/raw-client';
import { DaemonProject, waitFor } from '../service/helpers/daemon-project';

/** User data reaches a terminal as text, never as commands to it (issue 27, item 6). */
const p = new TempProject('wg-terminal-');
const d = new DaemonProject('wg-terminal-logs-');
afterAll(async () => {
  killMarked();
  p.remove();
  await d.remove();
});

// Anything that steers a terminal: C0 controls but newline and tab, DEL, C1 (U+009B is a CSI), bidi overrides.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the tests check that no control character reaches a terminal
const STEERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

// A window title (OSC 0), a screen clear (CSI 2J), a hyperlink (OSC 8), a bell, a carriage return and a C1 CSI.
const HOSTILE =
  'Fix \u001b]0;pwned\u0007the \u001b[2Jbug \u001b]8;;http://evil.example\u001b\\link\u001b]8;;\u001b\\\r \u009b31m\u0008now\u202e';

describe('terminal output', () => {
  it('strips escape sequences and control characters from titles, logs and errors; --json keeps them exactly', async () => {
    await p.ok(['init']);
    await p.ok(['add', HOSTILE, '--id', 'evil', '-d', `line one\n\tline two \u001b[31mred\u001b[0m`]);
    await p.ok(['log', 'evil', `found \u001b[1A\u001b[Kit`]);
    for (const args of [['list'], ['show', 'evil'], ['ready']]) {
      const out = await p.ok(args);
      expect(out, args.join(' ')).not.toMatch(STEERS);
      expect(out).toContain('Fix the bug link now');
    }
    expect(await p.ok(['show', 'evil'])).toContain('line one\n');
    const raw = await p.ok(['show', 'evil', '--json']);
    // Escaped, not raw: JSON.stringify leaves C1 (and bidi overrides) as they are.
    expect(raw).not.toMatch(STEERS);
    const json = JSON.parse(raw) as { title: string };
    expect(json.title).toBe(HOSTILE);
    const refused = await p.wg(['add', 'Again', '--id', 'evil']);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test checks that no escape character reaches the terminal
    expect(refused.stderr).not.toMatch(/\u001b/);
  });

  it('keeps newlines and tabs, removes everything else that steers a terminal', () => {
    expect(plainText('a\u001b[31mb\u001b[0m\tc\nd\re\u0007\u202eg')).toBe('ab\tc\ndeg');
  });
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
