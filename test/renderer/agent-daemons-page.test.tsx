// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { AgentDaemonsPage } from '../../src/renderer/pages/AgentDaemonsPage';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

describe('agent daemons page', () => {
  it('creates a token and shows it once; revoking asks first', async () => {
    const fake = await Workgraph.open();
    const tokens = () => fake.call('token:list', {});
    renderWithProject(<AgentDaemonsPage />, fake, 'daemons');
    const form = await screen.findByRole('form', { name: 'Create a token' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'bad name!' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));
    expect(await screen.findAllByText(/a name holds only letters/)).toHaveLength(1);
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'laptop' } });
    fireEvent.change(within(form).getByLabelText('Roles'), { target: { value: 'dev, qa' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Create token' }));
    const shown = await screen.findByRole('status');
    expect(shown.textContent).toMatch(/wga_/);
    expect((await tokens())[0]).toMatchObject({ name: 'laptop', roles: ['dev', 'qa'] });
    fireEvent.click(within(shown).getByRole('button', { name: 'Done' }));
    expect(screen.queryByText(/wga_/)).toBeNull();

    const tokenRow = (await screen.findByText('laptop', { selector: 'td' })).closest('tr') as HTMLElement;
    // Review finding: the column of its last four characters was headed "Ends in", read as an expiry.
    const table = screen.getByRole('table', { name: 'Tokens' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toContain('Token');
    expect(within(table).queryByRole('columnheader', { name: 'Ends in' })).toBeNull();
    fireEvent.click(within(tokenRow).getByRole('button', { name: 'Revoke' }));
    expect((await tokens())[0]?.revoked_at).toBeNull();
    fireEvent.click(within(tokenRow).getByRole('button', { name: 'Yes, revoke' }));
    await expect.poll(async () => (await tokens())[0]?.revoked_at).not.toBeNull();
  });

  it("says beside a job's task what the person is to do when its run on a daemon ended waiting on them", async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      makeTask({ id: 'copy', title: 'Write the copy', status: 'pending-validation' }),
      makeTask({ id: 'api', title: 'Build the API', status: 'done' }),
    ]);
    const jobs = new JobStore(fake.store.core);
    for (const [agent, task] of [
      ['agent-1', 'copy'],
      ['agent-2', 'api'],
    ] as const) {
      const lease = await jobs.insert({
        agent_id: agent,
        task_id: task,
        token_name: 'laptop',
        daemon_host: 'laptop',
        repo: 'acme/app',
        role: null,
        lease_ms: 60_000,
      });
      await jobs.end(lease, 'done', 'exited 0');
    }
    renderWithProject(<AgentDaemonsPage />, fake, 'daemons');
    const results = await screen.findByRole('table', { name: 'Results' });
    const row = async (task: string) => (await within(results).findByRole('button', { name: task })).closest('tr') as HTMLElement;
    expect((await row('copy')).textContent).toContain('needs you: awaits your approval');
    expect((await row('api')).textContent).not.toContain('needs you');
  });
});
