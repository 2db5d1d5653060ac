// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProjectSummary } from '../../src/shared/projects';
import { Root } from '../../src/renderer/Root';
import { ProjectsPage } from '../../src/renderer/projects/ProjectsPage';
import { FakeApp } from './support/fake-app';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

const shop: ProjectSummary = {
  folder: '/work/shop',
  name: 'shop',
  current: true,
  service: 'running',
  working: [{ id: 'agent-3', task_id: 'cart', task_title: 'Build the cart', executor: 'claude' }],
  failed: [{ id: 'pay', title: 'Payments', note: 'tests fail' }],
  waiting: [],
};
const docs: ProjectSummary = {
  folder: '/work/docs',
  name: 'docs',
  current: false,
  service: 'paused',
  working: [],
  failed: [],
  waiting: [
    { id: 'review', title: 'Review the guide', note: 'done by hand' },
    { id: 'clash', title: 'Merge intro', note: 'merge conflict in intro.md' },
  ],
};

describe('the All projects view', () => {
  it('lists each open project with its agents, failures and tasks waiting for a person', async () => {
    const app = new FakeApp([shop, docs]);
    renderWithProject(<ProjectsPage />, await Workgraph.open(), 'projects', app.client);
    const shopCard = await screen.findByRole('region', { name: 'shop' });
    expect(within(shopCard).getByRole('list', { name: 'Agents working' }).textContent).toContain('agent-3 · Build the cart');
    expect(within(shopCard).getByRole('list', { name: 'Failed' }).textContent).toContain('Payments — tests fail');
    const docsCard = screen.getByRole('region', { name: 'docs' });
    expect(within(docsCard).getByRole('list', { name: 'Needs you' }).textContent).toContain('Merge intro — merge conflict in intro.md');
    expect(docsCard.textContent).toContain('paused');
  });

  it('pauses and resumes one project or all, shows another, and closes one only after asking', async () => {
    const app = new FakeApp([shop, docs]);
    renderWithProject(<ProjectsPage />, await Workgraph.open(), 'projects', app.client);
    const docsCard = await screen.findByRole('region', { name: 'docs' });
    fireEvent.click(within(docsCard).getByRole('button', { name: 'Resume' }));
    await waitFor(() => expect(within(screen.getByRole('region', { name: 'docs' })).getByRole('button', { name: 'Pause' })).toBeTruthy());
    fireEvent.click(screen.getByRole('button', { name: 'Pause all' }));
    await waitFor(() => expect(app.projects.every((p) => p.service === 'paused')).toBe(true));
    fireEvent.click(within(screen.getByRole('region', { name: 'docs' })).getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(app.calls.at(-1)).toEqual({ name: 'app:switchProject', input: { folder: '/work/docs' } }));

    fireEvent.click(within(screen.getByRole('region', { name: 'shop' })).getByRole('button', { name: 'Close…' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Close shop?' });
    fireEvent.click(within(ask).getByRole('button', { name: 'Cancel' }));
    expect(app.calls.some((c) => c.name === 'app:closeProject')).toBe(false);
    fireEvent.click(within(screen.getByRole('region', { name: 'shop' })).getByRole('button', { name: 'Close…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Close project' }));
    await waitFor(() => expect(screen.queryByRole('region', { name: 'shop' })).toBeNull());
  });

  it("follows main's updates", async () => {
    const app = new FakeApp([shop]);
    renderWithProject(<ProjectsPage />, await Workgraph.open(), 'projects', app.client);
    await screen.findByRole('region', { name: 'shop' });
    act(() => app.push([shop, docs]));
    expect(await screen.findByRole('region', { name: 'docs' })).toBeTruthy();
  });
});

describe('the project switcher', () => {
  it('shows the open projects in the sidebar and switches, in the desktop app only', async () => {
    const app = new FakeApp([shop, docs]);
    render(<Root backend={{ ...(await Workgraph.open()).backend, app: app.client }} />);
    const select = (await screen.findByRole('combobox', { name: 'Project' })) as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['shop (1 working)', 'docs', 'Open folder…']);
    expect(select.value).toBe('/work/shop');
    fireEvent.change(select, { target: { value: '/work/docs' } });
    await waitFor(() => expect(app.calls.at(-1)).toEqual({ name: 'app:switchProject', input: { folder: '/work/docs' } }));
    expect(screen.getByRole('button', { name: 'All projects' })).toBeTruthy();
    cleanup();
    render(<Root backend={(await Workgraph.open()).backend} />);
    await screen.findByRole('button', { name: 'Graph' });
    expect(screen.queryByRole('combobox', { name: 'Project' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'All projects' })).toBeNull();
  });

  it("opens the task main asks for (a click on the tray's Needs you or on a notice), from any page", async () => {
    const app = new FakeApp([shop]);
    const project = await Workgraph.open();
    await project.seed([makeTask({ id: 'review', title: 'Review the guide', status: 'pending-validation' })]);
    render(<Root backend={{ ...project.backend, app: app.client }} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Settings' }));
    act(() => app.showTask('review'));
    const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
    await waitFor(() => expect(inspector.getAttribute('data-task')).toBe('review'));
    expect(within(inspector).getByRole('heading', { name: 'Review the guide' })).toBeTruthy();
  });
});
