import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type ProjectHost } from '../../src/core/host';
import { waitFor } from '../service/helpers/daemon-project';

/**
 * A stop waits for a run's work being merged (a merge cut in two left the person's checkout showing it undone), but
 * not for a triage: that asks an agent, which may take minutes. Here the triage's agent never answers (a Claude Code
 * that only sleeps), and the project still closes.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-stop-triage-'));
const asked = join(root, 'triage-asked');
let host: ProjectHost;
let closed = false;

beforeAll(async () => {
  const silentClaude = join(root, 'claude');
  writeFileSync(silentClaude, `#!/bin/sh\ntouch '${asked}'\nexec sleep 300\n`);
  chmodSync(silentClaude, 0o755);
  process.env.WG_CLAUDE_BIN = silentClaude;
  process.env.WG_HOME = join(root, '.wghome');
  mkdirSync(join(root, '.workgraph'), { recursive: true });
  writeFileSync(
    join(root, '.workgraph', 'config.toml'),
    ['[coordinator]', 'executor = "shell"', 'auto_triage = true', 'triage_model = "haiku"'].join('\n'),
  );
  host = await openProjectHost(root, { createIfMissing: true });
});
afterAll(async () => {
  if (!closed) await host.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

describe('a stop during a triage', () => {
  it('does not wait for the triage to answer', async () => {
    await host.dispatch('task:add', { title: 'Killed mid-way', id: 'killed', executor: 'shell', exec: 'kill -9 $$' });
    await waitFor('the triage to ask its agent', () => existsSync(asked), 60_000);
    // A hang guard, not a figure: the triage's agent sleeps 300 s.
    const outcome = await Promise.race([
      host.close({ stopAgents: true }).then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still waiting after 60 s'), 60_000).unref()),
    ]);
    closed = outcome === 'closed';
    expect(outcome).toBe('closed');
  }, 120_000);
});
