// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/renderer/Root';
import { createClient } from '../../src/shared/client';
import { makeAgent, makeTask } from './support/fixtures';
import { Workgraph } from './support/workgraph';
import { giveElementsASize } from './support/sizes';

afterEach(cleanup);
giveElementsASize({ width: 1200, height: 800 });
// The first layout runs in this thread here (no workers), which takes a moment.
const LAID_OUT = { timeout: 10_000 };

async function project() {
  const fake = await Workgraph.open();
  await fake.seed(
    [
      makeTask({ id: 'design', title: 'Design the schema', status: 'done', tags: ['db'] }),
      makeTask({ id: 'build', title: 'Build the API', status: 'in-progress', after: ['design'], assigned: 'agent-1', tags: ['api'] }),
      makeTask({ id: 'docs', title: 'Write docs', tags: ['api'] }),
    ],
    [makeAgent({ id: 'agent-1', task_id: 'build', executor: 'claude', model: 'sonnet', started_at: new Date().toISOString() })],
  );
  return fake;
}

describe('the app', () => {
  it('says so plainly when the project is read-only, and not otherwise', async () => {
    const readOnly = await project();
    render(<Root backend={await readOnly.readOnlyBackend()} />);
    expect((await screen.findByText(/^Read-only project/, { exact: false })).closest('[role="status"]')?.textContent).toMatch(
      /^Read-only project: this folder cannot be written/,
    );
    cleanup();
    render(<Root backend={(await project()).backend} />);
    await screen.findByText('Design the schema', {}, LAID_OUT);
    expect(screen.queryByText(/Read-only project/)).toBeNull();
  });

  it("counts the project's tasks in the sidebar as the toolbar does, upstream's system tasks said apart", async () => {
    const fake = await project();
    render(<Root backend={fake.backend} />);
    await screen.findByText('Design the schema', {}, LAID_OUT);
    const foot = () => document.querySelector('.sidebar-foot')?.textContent ?? '';
    expect(foot()).toMatch(/^3 tasks/);
    await fake.seed([makeTask({ id: '.assign-docs', title: 'Assign agent for docs' })]);
    await waitFor(() => expect(foot()).toMatch(/^3 tasks\+ 1 internal/));
  });

  it('renders the graph with a card per task and an edge per dependency', async () => {
    const { backend } = await project();
    const { container } = render(<Root backend={backend} />);
    await screen.findByText('Design the schema', {}, LAID_OUT);
    expect(screen.getByText('Build the API')).toBeTruthy();
    expect(screen.getByText('Write docs')).toBeTruthy();
    expect(container.querySelectorAll('.react-flow__node-task')).toHaveLength(3);
    await waitFor(() => expect(container.querySelector('.dep-edge[data-id="design->build"]')).not.toBeNull());
    expect(container.querySelector('[data-id="build"] .task-card')?.textContent).toContain('running');
    expect(container.querySelector('[data-id="docs"] .task-card')?.textContent).toContain('ready');
  });

  it('updates a card when the store changes, without reloading', async () => {
    const fake = await project();
    const { backend } = fake;
    const { container } = render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    await fake.update('build', { status: 'done' });
    await waitFor(() => expect(container.querySelector('[data-id="build"] .task-card')?.getAttribute('data-status')).toBe('done'));
  });

  it('lists a tag added to a task in the tag filter at once (a tag is not a change of the structure)', async () => {
    const fake = await project();
    const { backend } = fake;
    render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    const tagOptions = () => [...(screen.getByLabelText('Filter by tag') as HTMLSelectElement).options].map((o) => o.value);
    expect(tagOptions()).toEqual(['', 'api', 'db']);
    await fake.update('docs', { tags: ['api', 'writing'] });
    await waitFor(() => expect(tagOptions()).toEqual(['', 'api', 'db', 'writing']));
  });

  it('counts tasks per state (a chip frames them), filters by tag, and lists search matches without hiding the rest', async () => {
    const { backend } = await project();
    const { container } = render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    const visible = () => container.querySelectorAll('.react-flow__node-task').length;
    const states = within(screen.getByRole('group', { name: 'Show tasks by state' }));
    // A chip frames its tasks (issue 38): where they lie close, as here, the view goes to them; nothing is hidden.
    expect(states.getByRole('button', { name: /1 done/ }).getAttribute('title')).toBe('Show the done tasks');
    fireEvent.click(states.getByRole('button', { name: /1 done/ }));
    expect(visible()).toBe(3);
    expect(screen.queryByText(/of 3 tasks/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Filter by tag'), { target: { value: 'api' } });
    await waitFor(() => expect(visible()).toBe(2), LAID_OUT);
    fireEvent.change(screen.getByLabelText('Filter by tag'), { target: { value: '' } });
    await waitFor(() => expect(visible()).toBe(3), LAID_OUT);
    const search = screen.getByRole('combobox', { name: 'Search tasks' });
    fireEvent.change(search, { target: { value: 'DOCS' } });
    const matches = await screen.findByRole('listbox', { name: 'Matching tasks' });
    expect(
      within(matches)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual([expect.stringContaining('Write docs')]);
    // Search lists; it does not hide the other cards.
    await waitFor(() => expect(visible()).toBe(3), LAID_OUT);
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(await screen.findByRole('complementary', { name: 'Task inspector' })).toBeTruthy();
  });

  it('/ selects the last search, so what is typed next replaces it (not added to its end)', async () => {
    const { backend } = await project();
    render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    const search = screen.getByRole<HTMLInputElement>('combobox', { name: 'Search tasks' });
    fireEvent.change(search, { target: { value: 'refund handler v2' } });
    search.blur();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(document.activeElement).toBe(search);
    expect([search.selectionStart, search.selectionEnd]).toEqual([0, 'refund handler v2'.length]);
  });

  it('creates a task from the form, validated by the op schema', async () => {
    const fake = await project();
    const { backend } = fake;
    render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    fireEvent.click(screen.getByRole('button', { name: '+ New task' }));
    // The form is loaded on first use (it pulls in the op schemas), so it appears a moment later.
    const dialog = await screen.findByRole('dialog', { name: 'New task' }, LAID_OUT);
    fireEvent.change(within(dialog).getByLabelText('Title'), { target: { value: 'Deploy' } });
    fireEvent.change(within(dialog).getByLabelText(/^Id/), { target: { value: 'bad id!' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create task' }));
    // Said once, next to the field, in plain words.
    expect(await within(dialog).findAllByText(/'bad id!' is not a valid task id/)).toHaveLength(1);
    expect(within(dialog).getByLabelText(/^Id/).getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).queryByRole('alert')).toBeNull();
    fireEvent.change(within(dialog).getByLabelText(/^Id/), { target: { value: 'deploy' } });
    // Dependencies are picked from the tasks that exist.
    const depends = within(dialog).getByRole('combobox', { name: /^Depends on/ });
    fireEvent.change(depends, { target: { value: 'build the' } });
    expect(
      within(within(dialog).getByRole('listbox'))
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Build the APIbuild']);
    fireEvent.keyDown(depends, { key: 'Enter' });
    fireEvent.change(depends, { target: { value: 'docs' } });
    fireEvent.keyDown(depends, { key: 'Enter' });
    expect(within(within(dialog).getByRole('list', { name: 'Chosen' })).getAllByRole('listitem')).toHaveLength(2);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Create task' }));
    await waitFor(async () => expect((await fake.task('deploy'))?.after).toEqual(['build', 'docs']));
    expect(await screen.findByRole('complementary', { name: 'Task inspector' })).toBeTruthy();
  });

  it('opens the inspector when a card is clicked and follows dependency links', async () => {
    const { backend } = await project();
    const { container } = render(<Root backend={backend} />);
    await screen.findByText('Build the API', {}, LAID_OUT);
    fireEvent.click(container.querySelector('[data-id="build"]') as HTMLElement);
    const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
    expect(within(inspector).getByText('Build the API')).toBeTruthy();
    fireEvent.click(within(inspector).getByRole('button', { name: 'Design the schema' }));
    await waitFor(() =>
      expect(within(screen.getByRole('complementary', { name: 'Task inspector' })).getByRole('heading', { level: 2 }).textContent).toBe(
        'Design the schema',
      ),
    );
  });

  it('shows a toast when a task fails', async () => {
    const fake = await project();
    const { backend } = fake;
    render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    await fake.update('build', { status: 'failed', failure_reason: 'exit code 2' });
    const toast = await screen.findByText('Task failed: Build the API');
    expect(toast.closest('.toast')?.textContent).toContain('exit code 2');
  });

  it('navigates to every page, each loading through the ops', async () => {
    const { backend } = await project();
    render(<Root backend={backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    const nav = screen.getByRole('navigation', { name: 'Pages' });
    const visit = async (name: string, expectText: string | RegExp) => {
      fireEvent.click(within(nav).getByRole('button', { name: new RegExp(`^${name}`) }));
      expect(await screen.findAllByText(expectText)).not.toHaveLength(0);
    };
    await visit('Agents', 'agent-1');
    await visit('Run output', /agent-1 · working/);
    await visit('Models', 'opus');
    await visit('Executors', 'Add or replace a profile');
    await visit('Evaluations', /Averages over 0 evaluated tasks/);
    await visit('Settings', 'coordinator.max_agents');
    await visit('Service', 'Recent errors');
  });

  it('shows an older run opened from the Agents page whole, though the graph holds only the current runs', async () => {
    const fake = await project();
    // An earlier try at `build`: not among the graph's runs (each task's newest of each kind), listed on the Agents page.
    await fake.seed(
      [],
      [
        makeAgent({
          id: 'agent-0',
          task_id: 'build',
          state: 'failed',
          reason: 'exit 2: tests failed',
          started_at: '2026-01-01T00:00:00.000Z',
        }),
      ],
    );
    render(<Root backend={fake.backend} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Pages' })).getByRole('button', { name: /^Agents/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'agent-0' }));
    const summary = await screen.findByText('exit 2: tests failed');
    const header = summary.closest('.agent-summary') as HTMLElement;
    expect(within(header).getByRole('button', { name: 'Build the API' })).toBeTruthy();
    expect(within(header).getByText('failed')).toBeTruthy();
    expect((screen.getByRole('combobox', { name: 'Agent' }) as HTMLSelectElement).value).toBe('agent-0');
    expect(screen.getByRole('option', { name: 'agent-0 · failed · Build the API' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Messages' })).toBeTruthy();

    // A run whose task is no longer in the graph (wg gc): nobody to leave a message for.
    await fake.seed([], [makeAgent({ id: 'agent-9', task_id: 'collected', state: 'done', started_at: '2026-01-02T00:00:00.000Z' })]);
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Pages' })).getByRole('button', { name: /^Agents/ }));
    fireEvent.click(await screen.findByRole('button', { name: 'agent-9' }));
    await screen.findByRole('option', { name: 'agent-9 · done · collected' });
    expect(screen.queryByRole('region', { name: 'Messages' })).toBeNull();
  });

  it('marks the page busy while its first load is on its way, for screen readers, and settled once it came', async () => {
    const fake = await project();
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const client = createClient(async (name, input) => {
      if (name === 'agent:list') await held;
      return fake.transport(name, input);
    });
    render(<Root backend={{ ...fake.backend, client }} />);
    await screen.findByText('Write docs', {}, LAID_OUT);
    const main = screen.getByRole('main');
    expect(main.getAttribute('aria-busy')).toBe('false');
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Pages' })).getByRole('button', { name: /^Agents/ }));
    await screen.findByText('Loading agents…');
    expect(main.getAttribute('aria-busy')).toBe('true');
    release();
    await screen.findAllByText('agent-1');
    await waitFor(() => expect(main.getAttribute('aria-busy')).toBe('false'));
    // A reload after a change is not a first load: the page shows its data meanwhile.
    await fake.seed([makeTask({ id: 'more', title: 'One more' })]);
    await waitFor(() => expect(fake.calls.filter((call) => call.name === 'agent:list').length).toBeGreaterThan(1));
    expect(main.getAttribute('aria-busy')).toBe('false');
  });
});
