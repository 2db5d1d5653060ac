import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../service/helpers/daemon-project';
import { FakeCoordinator } from './helpers/fake-coordinator';
import { killMarked, makeRepo, startAgentd } from './helpers/agentd-process';

/**
 * What `wg agentd` does with its CLI_COMMAND at start: it checks the program is there and may be run, and never runs
 * it. It ran `CLI_COMMAND --version`, which a job script took for a job named `--version`.
 */
let coordinator: FakeCoordinator;
const repo = makeRepo('wg-agentd-cli-check-');
const dir = mkdtempSync(join(tmpdir(), 'wg-agentd-cli-script-'));
const ran = join(dir, 'ran');
const script = join(dir, 'job.sh');
writeFileSync(script, `#!/bin/sh\necho "$@" >> '${ran}'\n`);
chmodSync(script, 0o755);
const notExecutable = join(dir, 'plain.sh');
writeFileSync(notExecutable, '#!/bin/sh\n');

const env = (command: string) => ({
  ...(process.env as Record<string, string>),
  WG_COORDINATOR_URL: coordinator.url,
  WG_AGENT_TOKEN: 'wga_test',
  REPO_PATHS: `acme/app=${repo}`,
  CLI_COMMAND: command,
});

beforeAll(async () => {
  coordinator = await FakeCoordinator.start();
});
afterAll(async () => {
  killMarked();
  await coordinator.close();
});

describe('wg agentd checks its CLI_COMMAND without running it', () => {
  it('registers a job script it found without running it', async () => {
    const daemon = startAgentd('script', env(script));
    const registered = await coordinator.next('agent.register', (m) => m.host === 'script');
    expect(registered.clis).toEqual([{ name: 'job.sh', version: '' }]);
    expect(existsSync(ran) ? readFileSync(ran, 'utf8') : '').toBe('');
    expect(daemon.log()).not.toContain('--version');
  });

  it('asks a CLI_COMMAND that is claude (or codex), whose flags are known, its version', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'wg-agentd-claude-'));
    writeFileSync(join(bin, 'claude'), '#!/bin/sh\n[ "$1" = --version ] && echo "2.1.0 (Claude Code)"\n');
    chmodSync(join(bin, 'claude'), 0o755);
    startAgentd('claude', env(join(bin, 'claude')));
    expect((await coordinator.next('agent.register', (m) => m.host === 'claude')).clis).toEqual([
      { name: 'claude', version: '2.1.0 (Claude Code)' },
    ]);
  });

  it('says in one line when the program is not there, or may not be run', async () => {
    const missing = startAgentd('missing', env('no-such-agent-cli'));
    await waitFor('the missing line', () => missing.log().includes('CLI_COMMAND'));
    expect(missing.log()).toContain('CLI_COMMAND no-such-agent-cli is not found (not on PATH); jobs will fail until it is installed');
    const plain = startAgentd('plain', env(notExecutable));
    await waitFor('the not executable line', () => plain.log().includes('CLI_COMMAND'));
    expect(plain.log()).toContain(`CLI_COMMAND ${notExecutable} may not be run (chmod +x ${notExecutable}); jobs will fail until it may`);
    expect((await coordinator.next('agent.register', (m) => m.host === 'plain')).clis).toEqual([]);
  });
});
