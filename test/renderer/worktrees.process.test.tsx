// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { WorktreesPage } from '../../src/renderer/worktrees/WorktreesPage';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';
import { commitIn, makeProjectRepo, runWorktree, writeIn } from './support/worktree-states';

import { useNodeAbortController } from './support/node-abort';

beforeAll(useNodeAbortController);
afterEach(cleanup);

/**
 * The project's folder a git repository; four runs' worktrees made as the coordinator makes them, each left as
 * its run left it: agent-1 working, its edits not yet committed; agent-2's done refused, its commits clashing
 * with main's; agent-3 ended with a file it never committed; agent-4's work merged by its done.
 */
async function seeded(): Promise<Workgraph> {
  const project = await Workgraph.open();
  makeProjectRepo(project, { 'src/api.ts': 'export const a = 1;\nexport const b = 2;\n', 'README.md': '# project\n' });
  await project.seed(
    [
      makeTask({ id: 'build', title: 'Build it', status: 'in-progress', assigned: 'agent-1' }),
      makeTask({ id: 'clash', title: 'Clashes', status: 'in-progress', assigned: 'agent-2' }),
      makeTask({ id: 'old', title: 'Old work', status: 'in-progress', assigned: 'agent-3' }),
      makeTask({ id: 'shipped', title: 'Shipped', status: 'in-progress', assigned: 'agent-4' }),
    ],
    ['build', 'clash', 'old', 'shipped'].map((task, i) =>
      makeAgent({ id: `agent-${i + 1}`, task_id: task, started_at: new Date().toISOString() }),
    ),
  );
  const live = await runWorktree(project, 'agent-1', 'build');
  writeIn(live, 'src/api.ts', 'export const a = 1;\nexport const b = 3; // was 2\n');
  writeIn(live, 'docs/new.md', '# New\npage\n');

  commitIn(
    await runWorktree(project, 'agent-2', 'clash'),
    { 'src/api.ts': 'export const a = 1;\nexport const b = 4;\n', 'README.md': '# api\n' },
    'b is 4',
  );
  commitIn(project.folder, { 'src/api.ts': 'export const a = 1;\nexport const b = 5;\n', 'README.md': '# the project\n' }, 'b is 5');
  await expect(project.callAsAgent('agent-2', 'task:done', { id: 'clash' })).rejects.toThrow(/conflict/);
  await project.updateAgent('agent-2', { state: 'failed', ended_at: new Date().toISOString(), exit_code: 1 });

  writeIn(await runWorktree(project, 'agent-3', 'old'), 'notes.txt', 'to do\n');
  await project.updateAgent('agent-3', { state: 'done', ended_at: new Date().toISOString() });

  commitIn(await runWorktree(project, 'agent-4', 'shipped'), { 'docs/shipped.md': 'shipped\n' }, 'ship it');
  await project.callAsAgent('agent-4', 'task:done', { id: 'shipped' });
  await project.updateAgent('agent-4', { state: 'done', ended_at: new Date().toISOString() });
  return project;
}

describe('the worktree in the inspector', () => {
  it('shows the branch, the state, and the changed files with counts; a file opens its unified diff', async () => {
    const { container } = renderWithProject(
      <TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />,
      await seeded(),
    );
    const section = await screen.findByRole('region', { name: 'Worktree' });
    expect(section.textContent).toContain('wg/agent-1/build → main');
    expect(within(section).getByText('active')).toBeTruthy();
    const files = await within(section).findByRole('list', { name: 'Changed files' });
    expect(files.textContent).toContain('src/api.ts+1 −1');
    expect(files.textContent).toContain('docs/new.md+2 −0');
    // Two files: both open at once, drawn by react-diff-view.
    await waitFor(() => expect(container.querySelectorAll('.diff-body table.diff').length).toBe(2));
    expect([...container.querySelectorAll('.diff-code-insert')].map((line) => line.textContent)).toContainEqual(
      expect.stringContaining('export const b = 3;'),
    );
    const head = within(files).getByRole('button', { name: /src\/api\.ts/ });
    fireEvent.click(head);
    expect(head.getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(container.querySelectorAll('.diff-body table.diff').length).toBe(1));
  });

  it('names the conflicting files of a refused merge, and marks the card', async () => {
    const fake = await seeded();
    renderWithProject(<TaskInspector taskId="clash" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const conflict = await screen.findByText(/Merge conflict/);
    expect(conflict.parentElement?.textContent).toContain('in README.md, src/api.ts: nothing changed on main');
    cleanup();
    const clash = await fake.task('clash');
    if (!clash) throw new Error('the seeded project has no task clash');
    renderWithProject(<TaskCard task={clash} agent={null} state={{ kind: 'running', text: 'running' }} />, fake);
    expect(screen.getByText('conflict').getAttribute('title')).toBe('merge conflict in README.md, src/api.ts');
  });
});

describe('the worktrees page', () => {
  it('lists every worktree with its state, and removes one only after a confirmation naming what is lost', async () => {
    const fake = await seeded();
    renderWithProject(<WorktreesPage />, fake, 'worktrees');
    const table = await screen.findByRole('table', { name: 'Worktrees' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('[data-worktree-state]')?.textContent)).toEqual(['active', 'conflict', 'dirty', 'merged']);
    // No removal under a working agent.
    expect((within(rows[0] as HTMLElement).getByRole('button', { name: 'Remove…' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(within(rows[2] as HTMLElement).getByRole('button', { name: 'Remove…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Remove worktree agent-3?' });
    expect(dialog.textContent).toContain('1 uncommitted file(s) will be lost: notes.txt');
    fireEvent.keyDown(dialog, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fake.calls.some((c) => c.name === 'worktree:remove')).toBe(false);

    fireEvent.click(within(rows[2] as HTMLElement).getByRole('button', { name: 'Remove…' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove and lose uncommitted files' }));
    await waitFor(() => expect(fake.calls.find((c) => c.name === 'worktree:remove')?.input).toEqual({ id: 'agent-3', force: true }));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
  });

  it('cleans up after showing what goes and why the others stay', async () => {
    const fake = await seeded();
    renderWithProject(<WorktreesPage />, fake, 'worktrees');
    // Clean up… is offered once the worktrees are listed.
    await screen.findByRole('table', { name: 'Worktrees' });
    fireEvent.click(screen.getByRole('button', { name: 'Clean up…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Clean up worktrees' });
    expect(dialog.textContent).toContain('Remove 1 worktree(s) whose work is merged or that never had any: agent-4?');
    expect(dialog.textContent).toContain('agent-3 is kept: 1 uncommitted file');
    expect(fake.calls.filter((c) => c.name === 'worktree:gc').map((c) => c.input)).toEqual([{ apply: false }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove 1' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.name === 'worktree:gc').map((c) => c.input)).toEqual([{ apply: false }, { apply: true }]),
    );

    // Review finding: once nothing is left to remove, Clean up… said so in the red box of a destructive confirmation,
    // with a Cancel of nothing. It is news: a status, with Close.
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    const cleanUp = screen.getByRole<HTMLButtonElement>('button', { name: 'Clean up…' });
    await waitFor(() => expect(cleanUp.disabled).toBe(false));
    fireEvent.click(cleanUp);
    const news = await screen.findByRole('status', { name: 'Clean up worktrees' });
    expect(news.textContent).toContain('Nothing to clean up: every worktree still holds work');
    expect(news.classList.contains('notice-box')).toBe(true);
    expect(within(news).queryByRole('button', { name: 'Cancel' })).toBeNull();
    fireEvent.click(within(news).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('status', { name: 'Clean up worktrees' })).toBeNull());
  });
});
