// @vitest-environment happy-dom
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration, secondsBetween } from '../../src/renderer/components/format';
import { AgentDaemonsPage } from '../../src/renderer/pages/AgentDaemonsPage';
import { killMarked, makeRepo, startAgentd } from '../agentd/helpers/agentd-process';
import { useNodeAbortController } from './support/node-abort';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

beforeAll(useNodeAbortController);
afterEach(cleanup);
afterAll(killMarked);

/**
 * The daemon's "claude": its version, and for each task what a run of it does: `build` works on, `lint`
 * fails, `limit` hits the account's usage limit (Claude's own structured error, naming the reset).
 */
function fakeClaude(reset: number): string {
  const bin = mkdtempSync(join(tmpdir(), 'wg-daemons-page-'));
  const limit = JSON.stringify({ type: 'result', subtype: 'success', is_error: true, result: `Claude AI usage limit reached|${reset}` });
  const script = [
    '#!/bin/sh',
    '[ "$1" = --version ] && { echo 2.1.330; exit 0; }',
    'case "$WG_TASK_ID" in',
    '  build) sleep 120 ;;',
    '  lint) echo "lint errors" >&2; exit 1 ;;',
    `  limit) echo '${JSON.stringify({ type: 'system', subtype: 'init', session_id: 's' })}'; echo '${limit}'; exit 1 ;;`,
    'esac',
  ].join('\n');
  writeFileSync(join(bin, 'claude'), `${script}\n`);
  chmodSync(join(bin, 'claude'), 0o755);
  return join(bin, 'claude');
}

describe('agent daemons page', () => {
  it('shows connected daemons with their jobs, what waits, and recent results', async () => {
    const project = await Workgraph.open();
    const remote = (id: string, repo = 'acme/app') => project.call('task:add', { title: id, id, executor: 'remote', repo, role: 'dev' });
    const laptop = await project.call('token:create', { name: 'laptop', roles: ['dev'], repos: ['acme/app'] });
    startAgentd('box', {
      ...(process.env as Record<string, string>),
      WG_COORDINATOR_URL: new URL(project.url).origin,
      WG_AGENT_TOKEN: laptop.token,
      REPO_PATHS: `acme/app=${makeRepo('wg-daemons-page-repo-')}`,
      ROLES: 'dev',
      MAX_JOBS: '2',
      CLI_COMMAND: fakeClaude(Math.floor(Date.now() / 1000) + 3 * 3600),
      CLI_OUTPUT: 'claude-stream-json',
    });
    // Every task of this project goes to an agent daemon: the coordinator hands them out.
    await project.coordinator.control.resume();
    const status = () => project.call('agentd:status', {});
    await remote('lint');
    await remote('build');
    await expect.poll(async () => (await status()).recent_jobs.map((job) => job.task_id), { timeout: 30_000 }).toContain('lint');
    await expect.poll(async () => (await status()).active_jobs.map((job) => job.task_id)).toEqual(['build']);
    await remote('limit');
    await expect.poll(async () => (await status()).daemons[0]?.downgraded_until ?? null, { timeout: 30_000 }).not.toBeNull();
    // The daemon says it is out of quota in a message of its own, before its job's end arrives: the page is read once both have.
    await expect.poll(async () => (await status()).active_jobs.map((job) => job.task_id)).toEqual(['build']);
    await remote('web', 'acme/web');
    const lint = (await status()).recent_jobs.find((job) => job.task_id === 'lint');
    const build = (await status()).active_jobs[0];

    renderWithProject(<AgentDaemonsPage />, project, 'daemons');
    const daemons = await screen.findByRole('table', { name: 'Daemons' });
    const row = within(daemons).getAllByRole('row')[1] as HTMLElement;
    expect(row.textContent).toContain('1 / 2');
    expect(row.textContent).toContain('claude 2.1.330');
    expect(row.textContent).toContain('out of quota until');
    expect(within(row).getByRole('button', { name: build?.agent_id ?? 'the build job' })).toBeTruthy();
    expect(await screen.findByText(/waiting for an agent daemon with repo acme\/web, role dev/)).toBeTruthy();
    const results = screen.getByRole('table', { name: 'Results' });
    expect(results.textContent).toContain('failed: exit: lint errors');
    expect(results.textContent).toContain(formatDuration(secondsBetween(lint?.created_at ?? '', lint?.ended_at ?? '')));
  });
});
