// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentDaemonsPage } from '../../src/renderer/pages/AgentDaemonsPage';
import { FakeWorkgraph } from './support/fake-workgraph';
import { makeDaemon, makeRemoteJob } from './support/fixtures';
import { renderWithFake, renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

describe('agent daemons page', () => {
  it('shows connected daemons with their jobs, what waits, and recent results', async () => {
    const fake = new FakeWorkgraph();
    fake.remote = {
      accepting: true,
      daemons: [
        makeDaemon({
          connected_at: new Date().toISOString(),
          last_heartbeat: new Date().toISOString(),
          downgraded_until: '2030-01-01T00:00:00.000Z',
          downgrade_reason: 'usage limit',
        }),
      ],
      active_jobs: [
        makeRemoteJob({ lease_id: 'a'.repeat(32), agent_id: 'agent-3', task_id: 'build', created_at: new Date().toISOString() }),
      ],
      recent_jobs: [
        makeRemoteJob({
          lease_id: 'b'.repeat(32),
          agent_id: 'agent-2',
          task_id: 'lint',
          state: 'failed',
          ended_at: '2025-01-01T00:01:30.000Z',
          outcome: 'exit: lint errors',
        }),
      ],
      waiting: [{ task_id: 'web', reason: 'waiting for an agent daemon with repo acme/web, role dev' }],
    };
    renderWithFake(<AgentDaemonsPage />, fake, 'daemons');
    const daemons = await screen.findByRole('table', { name: 'Daemons' });
    const row = within(daemons).getAllByRole('row')[1] as HTMLElement;
    expect(row.textContent).toContain('1 / 2');
    expect(row.textContent).toContain('claude 2.1.330');
    expect(row.textContent).toContain('out of quota until');
    expect(within(row).getByRole('button', { name: 'agent-3' })).toBeTruthy();
    expect(screen.getByText(/waiting for an agent daemon with repo acme\/web, role dev/)).toBeTruthy();
    const results = screen.getByRole('table', { name: 'Results' });
    expect(results.textContent).toContain('failed: exit: lint errors');
    expect(results.textContent).toContain('1m30s');
  });

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
    fireEvent.click(within(tokenRow).getByRole('button', { name: 'Revoke' }));
    expect((await tokens())[0]?.revoked_at).toBeNull();
    fireEvent.click(within(tokenRow).getByRole('button', { name: 'Yes, revoke' }));
    await expect.poll(async () => (await tokens())[0]?.revoked_at).not.toBeNull();
  });
});
