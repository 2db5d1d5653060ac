// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENTS_SHOWN, AgentsPage } from '../../src/renderer/agents/AgentsPage';
import { WorktreesPage } from '../../src/renderer/worktrees/WorktreesPage';
import { EvaluationsPage } from '../../src/renderer/pages/EvaluationsPage';
import { ExecutorsPage } from '../../src/renderer/pages/ExecutorsPage';
import { ModelsPage } from '../../src/renderer/pages/ModelsPage';
import { ServicePage } from '../../src/renderer/pages/ServicePage';
import { SettingsPage } from '../../src/renderer/pages/SettingsPage';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { PID_MAX_LIMIT, Workgraph } from './support/workgraph';
import { useGraph } from '../../src/renderer/state/graph-context';

afterEach(cleanup);

/** How many tasks the window has read, for a test to wait for the graph. */
function TasksLoaded() {
  return <p>tasks: {useGraph().tasks.size}</p>;
}

describe('models page', () => {
  it('adds a model after checking it with the op schema, sets the default and routes a role', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<ModelsPage />, fake);
    const form = await screen.findByRole('form', { name: 'Add model' });
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'bad name!' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    // Each problem once, next to its field, in plain words; nothing is sent.
    expect(await within(form).findAllByText(/a name holds only letters/)).toHaveLength(1);
    expect(within(form).getAllByText('is empty')).toHaveLength(2);
    expect(within(form).queryByRole('alert')).toBeNull();
    expect(fake.calls.some((c) => c.name === 'model:add')).toBe(false);

    // Not a built-in's name (opus is one: the store refuses to replace it).
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'opus-41' } });
    fireEvent.change(within(form).getByLabelText('Provider'), { target: { value: 'anthropic' } });
    fireEvent.change(within(form).getByLabelText('Model id'), { target: { value: 'claude-opus-4-1' } });
    fireEvent.change(within(form).getByLabelText('$ per M input tokens'), { target: { value: '15' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add model' }));
    const row = await screen.findByText('claude-opus-4-1');
    expect((await fake.call('model:list', {})).models.find((m) => m.name === 'opus-41')?.cost_in).toBe(15);

    fireEvent.click(within(row.closest('tr') as HTMLElement).getByRole('button', { name: 'Set default' }));
    await expect.poll(async () => (await fake.call('model:list', {})).default).toBe('opus-41');

    const routing = screen.getByRole('form', { name: 'Role routing' });
    fireEvent.change(within(routing).getByLabelText('Role'), { target: { value: 'evaluator' } });
    fireEvent.change(within(routing).getByLabelText('Model'), { target: { value: 'haiku' } });
    fireEvent.click(within(routing).getByRole('button', { name: 'Route role' }));
    expect(await within(routing).findByText('→ haiku')).toBeTruthy();
  });

  it('offers no removal of a model a role or the default names, and says which', async () => {
    const fake = await Workgraph.open();
    await fake.call('model:add', { name: 'mine', provider: 'anthropic', modelId: 'claude-mine' });
    await fake.call('model:setRole', { role: 'evaluator', name: 'mine' });
    renderWithProject(<ModelsPage />, fake);
    const row = (await screen.findByText('claude-mine')).closest('tr') as HTMLElement;
    const remove = within(row).getByRole('button', { name: 'Remove…' }) as HTMLButtonElement;
    // It was offered, confirmed, then refused with "use --force", a flag the window has not.
    expect(remove.disabled).toBe(true);
    expect(remove.title).toBe('Named by the evaluator role: give them another model first');
    const routing = screen.getByRole('form', { name: 'Role routing' });
    fireEvent.change(within(routing).getByLabelText('Role'), { target: { value: 'evaluator' } });
    fireEvent.change(within(routing).getByLabelText('Model'), { target: { value: 'haiku' } });
    fireEvent.click(within(routing).getByRole('button', { name: 'Route role' }));
    await waitFor(() => expect((within(row).getByRole('button', { name: 'Remove…' }) as HTMLButtonElement).disabled).toBe(false));
  });
});

describe('executors page', () => {
  it('shows the fields of the chosen type and requires what that type needs', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<ExecutorsPage />, fake);
    const form = await screen.findByRole('form', { name: 'Executor profile' });
    fireEvent.change(within(form).getByLabelText(/^Type/), { target: { value: 'http' } });
    expect(within(form).queryByLabelText('Command')).toBeNull();
    // Not `remote`: that is the built-in executor's name, which an http profile may not take.
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: 'agents-http' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save profile' }));
    expect(await within(form).findByText('required for http executors')).toBeTruthy();
    fireEvent.change(within(form).getByLabelText('Endpoint'), { target: { value: 'not a url' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save profile' }));
    expect(await within(form).findByText(/^must be a web address/)).toBeTruthy();
    expect(within(form).getByLabelText('Endpoint').getAttribute('aria-invalid')).toBe('true');
    fireEvent.change(within(form).getByLabelText('Endpoint'), { target: { value: 'https://agents.example/run' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByText('POST https://agents.example/run')).toBeTruthy();
    expect((await fake.call('executor:list', {})).find((e) => e.name === 'agents-http')?.type).toBe('http');
  });

  it('removes a profile unfinished tasks name after saying so; the default executor is not offered for removal', async () => {
    const fake = await Workgraph.open();
    await fake.call('executor:add', { name: 'rev', type: 'claude', model: 'haiku' });
    await fake.call('executor:add', { name: 'main', type: 'claude' });
    await fake.call('config:update', { executor: 'main' });
    await fake.call('task:add', { title: 'Uses rev', id: 'uses-rev', executor: 'rev' });
    renderWithProject(
      <>
        <ExecutorsPage />
        <TasksLoaded />
      </>,
      fake,
    );
    // The window has read the graph (the count of tasks naming a profile comes from it) before it is asked.
    await screen.findByText('tasks: 1');
    const table = await screen.findByRole('table', { name: 'Executor profiles' });
    const row = (name: string) => table.querySelector(`[data-executor="${name}"]`) as HTMLElement;
    await waitFor(() => expect(within(row('main')).getByText('default')).toBeTruthy());
    // One default: the executor tasks without their own run with (agent.executor's built-in claude is not it).
    expect(within(row('claude')).queryByText('default')).toBeNull();
    const mainRemove = within(row('main')).getByRole('button', { name: 'Remove…' }) as HTMLButtonElement;
    expect(mainRemove.disabled).toBe(true);
    expect(mainRemove.title).toBe('The default executor (coordinator.executor): choose another in Settings first');

    fireEvent.click(within(row('rev')).getByRole('button', { name: 'Remove…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove the executor “rev”?' });
    expect(dialog.textContent).toContain('1 unfinished task names it');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(table.querySelector('[data-executor="rev"]')).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('settings page', () => {
  it('lists entries with their source and sends only changed settings', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<SettingsPage />, fake);
    await screen.findByRole('table', { name: 'Config entries' });
    const form = screen.getByRole('form', { name: 'Change settings' });
    fireEvent.change(within(form).getByLabelText(/Max parallel agents/), { target: { value: '8' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save settings' }));
    await screen.findByText('Saved. The running coordinator uses the new settings now.');
    expect(fake.calls.find((c) => c.name === 'config:update')?.input).toEqual({ maxAgents: '8' });
    const table = screen.getByRole('table', { name: 'Config entries' });
    const row = within(table).getByText('coordinator.max_agents').closest('tr') as HTMLElement;
    expect(row.textContent).toContain('8');
    expect(row.textContent).toContain('project');
  });
});

describe('settings in force', () => {
  it("says when the coordinator's start flag keeps a saved value from applying, and reloads without it on request", async () => {
    const fake = await Workgraph.open();
    await fake.call('config:update', { maxAgents: 4 });
    // As `wg service start --max-agents 3` starts it.
    await fake.call('service:reload', { maxAgents: 3 });
    renderWithProject(<SettingsPage />, fake);
    const table = await screen.findByRole('table', { name: 'Config entries' });
    const row = await waitFor(() => {
      const found = within(table).getByText('coordinator.max_agents').closest('tr') as HTMLElement;
      expect(found.textContent).toContain('start flag');
      return found;
    });
    // The saved value beside the one in force, why on hover; no note before anything is saved.
    expect(row.textContent).toBe('coordinator.max_agents3start flag saved: 4 (project)');
    expect(within(row).getByText('start flag').getAttribute('title')).toBe(
      'Saved 4 (project) does not apply: the coordinator was started with --max-agents 3, which wins until it restarts without it.',
    );
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByText(/does not apply/)).toBeNull();
    const form = screen.getByRole('form', { name: 'Change settings' });
    fireEvent.change(within(form).getByLabelText(/Max parallel agents/), { target: { value: '5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save settings' }));
    const status = await within(form).findByRole('status');
    expect(status.textContent).toContain('Saved, but the running coordinator keeps its start flags: max parallel agents stays 3');
    expect(status.textContent).not.toMatch(/^Saved\.$/);
    fireEvent.click(within(form).getByRole('button', { name: 'Reload the coordinator without its start flags' }));
    await waitFor(() => expect(fake.calls.some((c) => c.name === 'service:reload')).toBe(true));
  });
});

describe('service page', () => {
  it('shows status and recent errors, and pauses spawning', async () => {
    const fake = await Workgraph.open();
    fake.coordinator.log.error('executor claude not found');
    await fake.coordinator.control.resume();
    renderWithProject(<ServicePage />, fake);
    expect(await screen.findByText('executor claude not found')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    expect(await screen.findByRole('button', { name: 'Resume' })).toBeTruthy();
    expect(fake.coordinator.engine.isPaused).toBe(true);
  });
});

describe('agents page', () => {
  it('filters agents with agent:list and kills a live one', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 't1', title: 'One', status: 'in-progress', assigned: 'agent-1' }), makeTask({ id: 't2', title: 'Two' })],
      [
        makeAgent({ id: 'agent-1', task_id: 't1', cost_usd: 0.5, started_at: new Date().toISOString() }),
        // A pid no process has (a live run's would be looked at by the coordinator, and ended).
        makeAgent({ id: 'agent-2', task_id: 't2', state: 'dead', pid: PID_MAX_LIMIT + 1 }),
      ],
    );
    renderWithProject(<AgentsPage />, fake);
    await screen.findByText('agent-2');
    expect(screen.getByText(String(PID_MAX_LIMIT + 1))).toBeTruthy();
    fireEvent.click(screen.getByLabelText('working'));
    await waitFor(() => expect(screen.queryByText('agent-2')).toBeNull());
    expect(fake.calls.filter((c) => c.name === 'agent:list').at(-1)?.input).toEqual({ working: true, limit: AGENTS_SHOWN });
    fireEvent.click(screen.getByRole('button', { name: 'Stop agent-1…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop agent-1?' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop and hold' }));
    await waitFor(async () => expect((await fake.agent('agent-1'))?.state).toBe('killed'));
    expect(await fake.task('t1')).toMatchObject({ status: 'open', paused: true });
  });
});

describe('agents page, a long history', () => {
  it('lists the newest runs first and older ones on request, not tens of thousands at each change', async () => {
    const fake = await Workgraph.open();
    const runs = Array.from({ length: AGENTS_SHOWN + 1 }, (_, i) =>
      makeAgent({ id: `agent-${i + 1}`, task_id: 't1', state: 'done', started_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString() }),
    );
    await fake.seed([makeTask({ id: 't1', title: 'One', status: 'done' })], runs);
    renderWithProject(<AgentsPage />, fake);
    await screen.findByText(`agent-${AGENTS_SHOWN + 1}`);
    const rows = () => within(screen.getByRole('table', { name: 'Agents' })).getAllByRole('row').length - 1;
    expect(rows()).toBe(AGENTS_SHOWN);
    expect(screen.queryByText('agent-1')).toBeNull();
    expect(screen.getByText(`Showing the newest ${AGENTS_SHOWN} runs.`, { exact: false })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: `Show ${AGENTS_SHOWN} older runs` }));
    await screen.findByText('agent-1');
    expect(rows()).toBe(AGENTS_SHOWN + 1);
    // All of them shown: nothing older to offer.
    expect(screen.queryByRole('button', { name: `Show ${AGENTS_SHOWN} older runs` })).toBeNull();
  });
});

describe('agents page, spend', () => {
  it('shows a dash for a run of no model that spent nothing (a shell command), and cost and tokens for a model run', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 't1', title: 'One', status: 'done' }), makeTask({ id: 't2', title: 'Two', status: 'done' })],
      [
        makeAgent({
          id: 'agent-1',
          task_id: 't1',
          executor: 'shell',
          model: null,
          state: 'done',
          cost_usd: 0,
          tokens_in: 0,
          tokens_out: 0,
        }),
        makeAgent({
          id: 'agent-2',
          task_id: 't2',
          executor: 'claude',
          model: 'sonnet',
          state: 'done',
          cost_usd: 0.25,
          tokens_in: 1200,
          tokens_out: 300,
        }),
      ],
    );
    renderWithProject(<AgentsPage />, fake);
    const spendOf = async (id: string) => {
      const row = (await screen.findByText(id)).closest('tr') as HTMLElement;
      return within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent ?? '');
    };
    expect(await spendOf('agent-1')).toContain('—');
    expect((await spendOf('agent-1')).join(' ')).not.toMatch(/\$0\.00|tok/);
    expect((await spendOf('agent-2')).join(' ')).toMatch(/\$0\.25 1500 tok/);
  });
});

describe('evaluations page', () => {
  it('lists scores by task with a dimension breakdown and records a new evaluation', async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      makeTask({
        id: 'a',
        title: 'Alpha',
        evaluation: {
          score: 0.9,
          dimensions: { tests: 1, style: 0.8, blocking_impact: 0.7 },
          evaluator: 'judge',
          notes: null,
          timestamp: new Date(Date.now() - 3 * 3_600_000).toISOString(),
        },
      }),
      makeTask({ id: 'b', title: 'Beta' }),
    ]);
    renderWithProject(<EvaluationsPage />, fake);
    await screen.findByText('Alpha');
    expect(screen.getByText('Averages over 1 evaluated tasks')).toBeTruthy();
    // A dimension's name in words, as the inspector says it; when it was scored, relative, the date on hover.
    const averages = screen.getByRole('region', { name: 'Averages' });
    expect(within(averages).getByText('blocking impact (1)')).toBeTruthy();
    const when = within(screen.getByRole('table', { name: 'Scores by task' })).getByText('3 hr. ago');
    expect(when.getAttribute('title')).toMatch(/\d/);
    fireEvent.click(screen.getByRole('button', { name: 'Dimensions' }));
    const table = screen.getByRole('table', { name: 'Scores by task' });
    expect(
      within(table)
        .getAllByRole('meter')
        .map((m) => m.getAttribute('aria-label')),
    ).toEqual(['score', 'overall', 'blocking impact', 'style', 'tests']);

    const form = screen.getByRole('form', { name: 'Record evaluation' });
    fireEvent.change(within(form).getByLabelText('Task'), { target: { value: 'b' } });
    fireEvent.change(within(form).getByLabelText('Score (0–1)'), { target: { value: '0.4' } });
    fireEvent.change(within(form).getByLabelText(/^Dimensions/), { target: { value: 'tests=0.5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Record' }));
    expect(await screen.findByText('Beta')).toBeTruthy();
    expect((await fake.task('b'))?.evaluation?.dimensions).toEqual({ tests: 0.5 });
  });
});

// Review finding: the Agents page said "failed" and no more; why (as `wg agents` prints it) took opening each run.
describe('agents page, why a run ended', () => {
  it('says why a failed or dead run ended under its task, in plain words, and nothing for a done or working one', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [
        makeTask({ id: 'lint', title: 'Lint the code', status: 'failed' }),
        makeTask({ id: 'deploy', title: 'Deploy', status: 'open' }),
        makeTask({ id: 'docs', title: 'Docs', status: 'done' }),
        makeTask({ id: 'stop', title: 'Stopped', status: 'open' }),
      ],
      [
        makeAgent({
          id: 'agent-1',
          task_id: 'lint',
          state: 'failed',
          exit_code: 2,
          reason: 'exit code 2: \u001b[31merror\u001b[0m: 3 problems',
        }),
        makeAgent({ id: 'agent-2', task_id: 'deploy', state: 'dead', reason: 'no heartbeat for 5 minutes' }),
        makeAgent({ id: 'agent-3', task_id: 'docs', state: 'done', reason: 'done' }),
        makeAgent({ id: 'agent-4', task_id: 'stop', state: 'killed', reason: 'killed' }),
      ],
    );
    renderWithProject(<AgentsPage />, fake);
    const rowOf = async (id: string) => (await screen.findByText(id)).closest('tr') as HTMLElement;
    expect((await rowOf('agent-1')).textContent).toContain('exit code 2: error: 3 problems');
    expect((await rowOf('agent-2')).textContent).toContain('no heartbeat for 5 minutes');
    expect((await rowOf('agent-3')).querySelector('.agent-reason')).toBeNull();
    // "killed" beside the pill that says killed would say it twice.
    expect((await rowOf('agent-4')).querySelector('.agent-reason')).toBeNull();
  });
});

// Review finding: a run that ended while its Stop dialog was open left the dialog saying "It is working on…, work it
// has not saved is lost", and its Stop answered "agent 'agent-1' is not working (done)".
describe('agents page, a run that ends while its Stop dialog is open', () => {
  it('says so in the dialog, which then offers only Close: the task is not paused, no refusal is shown', async () => {
    const fake = await Workgraph.open();
    await fake.seed(
      [makeTask({ id: 'build', title: 'Build the site', status: 'in-progress', assigned: 'agent-1' })],
      [makeAgent({ id: 'agent-1', task_id: 'build', started_at: new Date().toISOString() })],
    );
    renderWithProject(<AgentsPage />, fake);
    // The runs' list may come before the graph that names their tasks: the row says the title once both are in.
    await screen.findByRole('button', { name: 'Build the site' });
    fireEvent.click(await screen.findByRole('button', { name: 'Stop agent-1…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Stop agent-1?' });
    expect(dialog.textContent).toContain('It is working on “Build the site”');

    await fake.updateAgent('agent-1', { state: 'done', ended_at: new Date().toISOString() });
    await fake.update('build', { status: 'done' });
    await within(dialog).findByText(/agent-1 has ended meanwhile \(done\): there is nothing to stop/);
    expect(dialog.textContent).not.toContain('It is working on');

    // Nothing to choose and nothing to confirm: only Close, with the focus on it (the choice that had it is gone).
    // The dialog hears that it is moot from its body's effect, one render after the body says so.
    await waitFor(() => expect(within(dialog).queryByRole('button', { name: 'Stop and hold' })).toBeNull());
    expect(within(dialog).queryByRole('radio')).toBeNull();
    const close = within(dialog).getByRole('button', { name: 'Close' });
    await waitFor(() => expect(document.activeElement).toBe(close));
    fireEvent.click(close);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.calls.some((c) => c.name === 'agent:kill')).toBe(false);
    expect(await fake.task('build')).toMatchObject({ status: 'done', paused: false });
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

// Review finding: in a git project whose runs were all shell commands, the empty page said agents get a worktree "when
// the project folder is a git repository", as if it were not one.
describe('worktrees page, none yet', () => {
  it('says which runs get one, and that a shell command works in the project folder', async () => {
    const fake = await Workgraph.open();
    renderWithProject(<WorktreesPage />, fake);
    const empty = await screen.findByText(/^No worktrees\./);
    expect(empty.textContent).toContain('a shell command runs in the project folder unless its executor profile sets worktree');
    expect(empty.textContent).not.toContain('when the project folder is a git repository');
  });
});
