// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_AGENT } from '../../src/core/agency/starters';
import { AgencyPage } from '../../src/renderer/agency/AgencyPage';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { useNavigation } from '../../src/renderer/state/navigation';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

const rowOf = (table: HTMLElement, text: string) => within(table).getByText(text).closest('tr') as HTMLElement;

describe('the Agency page', () => {
  it('sets up the agency, then lists agents, roles and tradeoffs with their short hashes', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<AgencyPage />, fake, 'agency');
    fireEvent.click(await screen.findByRole('button', { name: 'Set up the agency' }));
    // The table shows (empty) before the set-up's answer refreshes it: wait for the row itself.
    const careful = await waitFor(() => rowOf(screen.getByRole('table', { name: 'Agents' }), 'Careful Programmer'));
    expect(careful.textContent).toContain('02e87968');
    expect(careful.textContent).toContain('Programmer');
    expect(careful.textContent).toContain('Careful');
    expect(
      within(screen.getByRole('table', { name: 'Roles' }))
        .getAllByRole('row')
        .map((r) => r.getAttribute('data-role'))
        .filter(Boolean),
    ).toHaveLength(6);
    expect(within(screen.getByRole('table', { name: 'Tradeoffs' })).getByText('Thorough')).toBeTruthy();
    expect((screen.getByRole('checkbox', { name: /Score finished work/ }) as HTMLInputElement).checked).toBe(true);
  });

  it('creates an agent, a role and a tradeoff from the forms, and removes only after confirming', async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    renderWithProject(<AgencyPage />, fake, 'agency');
    const tradeoff = await screen.findByRole('form', { name: 'New tradeoff' });
    fireEvent.change(within(tradeoff).getByLabelText('Name'), { target: { value: 'Frugal' } });
    fireEvent.change(within(tradeoff).getByLabelText(/^Description/), { target: { value: 'Spends as few tokens as it can.' } });
    fireEvent.change(within(tradeoff).getByLabelText(/^Acceptable/), { target: { value: 'Terse answers\nFewer checks, only when cheap' } });
    fireEvent.click(within(tradeoff).getByRole('button', { name: 'Create tradeoff' }));
    await expect
      .poll(async () => (await fake.call('tradeoff:list', {})).find((t) => t.name === 'Frugal')?.acceptable)
      .toEqual(['Terse answers', 'Fewer checks, only when cheap']);

    const role = screen.getByRole('form', { name: 'New role' });
    fireEvent.change(within(role).getByLabelText('Name'), { target: { value: 'Tester' } });
    fireEvent.click(within(role).getByRole('checkbox', { name: 'testing' }));
    fireEvent.change(within(role).getByLabelText(/^Other skills/), { target: { value: 'bisecting' } });
    fireEvent.click(within(role).getByRole('button', { name: 'Create role' }));
    await expect
      .poll(async () => (await fake.call('role:list', {})).find((r) => r.name === 'Tester')?.skills.map((s) => s.name))
      .toEqual(['testing', 'bisecting']);

    const agent = screen.getByRole('form', { name: 'New agent' });
    fireEvent.change(within(agent).getByLabelText('Name'), { target: { value: 'Frugal Tester' } });
    await waitFor(() => expect(within(agent).getByRole('option', { name: 'Tester' })).toBeTruthy());
    const tester = (await fake.call('role:list', {})).find((r) => r.name === 'Tester')?.id;
    const frugal = (await fake.call('tradeoff:list', {})).find((t) => t.name === 'Frugal')?.id;
    fireEvent.change(within(agent).getByLabelText('Role'), { target: { value: tester } });
    fireEvent.change(within(agent).getByLabelText('Tradeoff'), { target: { value: frugal } });
    fireEvent.click(within(agent).getByRole('button', { name: 'Create agent' }));
    const agents = screen.getByRole('table', { name: 'Agents' });
    const row = await within(agents).findByText('Frugal Tester');

    fireEvent.click(within(row.closest('tr') as HTMLElement).getByRole('button', { name: 'Remove' }));
    const identities = async () => (await fake.call('identity:list', {})).map((i) => i.name);
    expect(await identities()).toContain('Frugal Tester');
    fireEvent.click(within(row.closest('tr') as HTMLElement).getByRole('button', { name: 'Yes' }));
    await expect.poll(identities).not.toContain('Frugal Tester');
  });

  it("opens an agent's scores as a bar per dimension", async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    await fake.seed([makeTask({ id: 'build', agent: DEFAULT_AGENT.id, status: 'done' })]);
    await fake.call('eval:record', { id: 'build', score: 0.93, dim: { blocking_impact: 0.9, correctness: 0.95 } });
    renderWithProject(<AgencyPage />, fake, 'agency');
    // The table may show (empty) before the agents are read: wait for the row itself.
    const careful = await waitFor(() => rowOf(screen.getByRole('table', { name: 'Agents' }), 'Careful Programmer'));
    expect(within(careful).getByRole('meter').getAttribute('value')).toBe('0.93');
    fireEvent.click(within(careful).getByRole('button', { name: 'Scores' }));
    const labels = within(screen.getByRole('table', { name: 'Agents' }))
      .getAllByRole('meter')
      .map((m) => m.getAttribute('aria-label'));
    expect(labels).toEqual(expect.arrayContaining(['overall (1)', 'blocking impact', 'correctness']));
  });
});

function NavigationProbe() {
  const { page, selectedIdentity } = useNavigation();
  return <p data-testid="where">{`${page} ${selectedIdentity ?? ''}`}</p>;
}

describe('identities on cards and in the inspector', () => {
  it('a card names its identity with the short hash and marks pending-eval apart from done', async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    const task = makeTask({ id: 'build', title: 'Build it', status: 'pending-eval', agent: DEFAULT_AGENT.id });
    await fake.seed([task]);
    const { container } = renderWithProject(
      <TaskCard task={task} agent={null} state={{ kind: 'evaluating', text: 'done; awaiting evaluation' }} />,
      fake,
    );
    expect((await screen.findByText('Careful Programmer')).closest('.identity-label')?.textContent).toBe('Careful Programmer 02e87968');
    expect(container.querySelector('.task-card')?.getAttribute('data-status')).toBe('pending-eval');
    expect(screen.getByText('⚖ awaiting score')).toBeTruthy();
    cleanup();
    render(
      <TaskCard
        task={task}
        agent={makeAgent({ id: 'agent-7', task_id: 'build', purpose: 'evaluate', state: 'working' })}
        state={{ kind: 'evaluating', text: 'done; awaiting evaluation' }}
      />,
    );
    expect(screen.getByText('⚖ scoring…')).toBeTruthy();
    cleanup();
    render(<TaskCard task={{ ...task, status: 'done' }} agent={null} state={{ kind: 'done', text: 'done' }} />);
    expect(screen.queryByText('⚖ awaiting score')).toBeNull();
  });

  it('the inspector links the identity to the Agency page, says a pending evaluation is awaited, and puts the notes under the score', async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    await fake.seed([
      makeTask({
        id: 'build',
        title: 'Build it',
        status: 'pending-eval',
        agent: DEFAULT_AGENT.id,
        rescue_count: 1,
        evaluation: {
          score: 0.45,
          dimensions: { correctness: 0.4 },
          evaluator: 'claude:haiku',
          notes: 'No tests for the parser.',
          timestamp: '2026-03-01T12:00:00Z',
          source: 'llm',
        },
      }),
    ]);
    renderWithProject(
      <>
        <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />
        <NavigationProbe />
      </>,
      fake,
    );
    expect((await screen.findByRole('status')).textContent).toMatch(/Awaiting the evaluator's score.*Attempt 2.*The evaluator starts once/);
    const evaluation = screen.getByRole('region', { name: 'Evaluation' });
    const order = [...evaluation.querySelectorAll('.score-bar-label, .evaluation-notes')].map((e) => e.textContent);
    expect(order).toEqual(['overall', 'No tests for the parser.', 'correctness']);
    fireEvent.click(await screen.findByRole('button', { name: /Careful Programmer 02e87968/ }));
    expect(screen.getByTestId('where').textContent).toBe(`agency ${DEFAULT_AGENT.id}`);
  });

  it("the inspector shows the evaluator's run while it scores, its output a click away", async () => {
    const fake = await Workgraph.open();
    await fake.call('agency:init', {});
    await fake.seed(
      [makeTask({ id: 'build', title: 'Build it', status: 'pending-eval', agent: DEFAULT_AGENT.id })],
      [
        makeAgent({
          id: 'agent-7',
          task_id: 'build',
          purpose: 'evaluate',
          model: 'opus',
          state: 'working',
          tokens_in: 1200,
          started_at: new Date().toISOString(),
        }),
      ],
    );
    renderWithProject(
      <>
        <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />
        <NavigationProbe />
      </>,
      fake,
    );
    const status = await screen.findByRole('status');
    await waitFor(() => expect(status.textContent).toMatch(/Evaluator agent-7 \(opus\) scoring since .* · 1200 tokens in/));
    fireEvent.click(within(status).getByRole('button', { name: 'view output' }));
    expect(screen.getByTestId('where').textContent).toBe('output ');
  });
});
