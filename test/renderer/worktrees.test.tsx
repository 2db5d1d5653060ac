// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { WorktreeDiff, WorktreeInfo } from '../../src/shared/worktree';
import { TaskCard } from '../../src/renderer/graph/TaskCard';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { WorktreesPage } from '../../src/renderer/worktrees/WorktreesPage';
import { makeAgent, makeTask } from './support/fixtures';
import { FakeWorkgraph } from './support/fake-workgraph';
import { renderWithFake } from './support/render';

afterEach(cleanup);

const PATCH = [
  'diff --git a/src/api.ts b/src/api.ts',
  'index 1111111..2222222 100644',
  '--- a/src/api.ts',
  '+++ b/src/api.ts',
  '@@ -1,2 +1,2 @@',
  ' export const a = 1;',
  '-export const b = 2;',
  '+export const b = 3;',
  'diff --git a/docs/new.md b/docs/new.md',
  'new file mode 100644',
  'index 0000000..3333333',
  '--- /dev/null',
  '+++ b/docs/new.md',
  '@@ -0,0 +1,2 @@',
  '+# New',
  '+page',
  '',
].join('\n');

const DIFF: WorktreeDiff = {
  base: 'a'.repeat(40),
  head: 'working tree',
  kind: 'live',
  truncated: false,
  patch: PATCH,
  files: [
    { path: 'src/api.ts', old_path: null, added: 1, removed: 1, binary: false },
    { path: 'docs/new.md', old_path: null, added: 2, removed: 0, binary: false },
  ],
};

function worktree(overrides: Partial<WorktreeInfo>): WorktreeInfo {
  return {
    id: 'agent-1',
    path: '/p/.wg-worktrees/agent-1',
    branch: 'wg/agent-1/build',
    base_branch: 'main',
    owner: 'agent',
    state: 'active',
    agent_id: 'agent-1',
    merge_commit: null,
    conflict_files: [],
    task_id: 'build',
    base_commit: 'b'.repeat(40),
    recover_branch: null,
    created_at: '2025-01-01T10:00:00Z',
    updated_at: '2025-01-01T10:00:00Z',
    status: 'active',
    ahead: 2,
    uncommitted: [],
    exists: true,
    removable: false,
    keep_reason: 'agent-1 is working in it',
    ...overrides,
  };
}

function seeded(): FakeWorkgraph {
  const fake = new FakeWorkgraph();
  const live = worktree({});
  const {
    status: _s,
    task_id: _t,
    base_commit: _b,
    recover_branch: _r,
    created_at: _c,
    updated_at: _u,
    ahead: _a,
    uncommitted: _n,
    exists: _e,
    removable: _m,
    keep_reason: _k,
    ...onTask
  } = live;
  fake.seed(
    [
      makeTask({ id: 'build', title: 'Build it', status: 'in-progress', assigned: 'agent-1', worktree: onTask }),
      makeTask({
        id: 'clash',
        title: 'Clashes',
        status: 'in-progress',
        worktree: { ...onTask, id: 'agent-2', branch: 'wg/agent-2/clash', state: 'conflict', conflict_files: ['src/api.ts', 'README.md'] },
      }),
    ],
    [makeAgent({ id: 'agent-1', task_id: 'build' })],
  );
  fake.worktrees = [
    live,
    worktree({
      id: 'agent-2',
      task_id: 'clash',
      branch: 'wg/agent-2/clash',
      status: 'conflict',
      state: 'conflict',
      agent_id: 'agent-2',
      conflict_files: ['src/api.ts'],
    }),
    worktree({
      id: 'agent-3',
      task_id: 'old',
      branch: 'wg/agent-3/old',
      status: 'dirty',
      agent_id: 'agent-3',
      uncommitted: ['notes.txt'],
      keep_reason: '1 uncommitted file',
    }),
    worktree({
      id: 'agent-4',
      task_id: 'shipped',
      branch: 'wg/agent-4/shipped',
      status: 'merged',
      state: 'merged',
      agent_id: 'agent-4',
      merge_commit: 'c'.repeat(40),
      removable: true,
      keep_reason: null,
    }),
  ];
  fake.diffs.set('agent-1', DIFF);
  return fake;
}

describe('the worktree in the inspector', () => {
  it('shows the branch, the state, and the changed files with counts; a file opens its unified diff', async () => {
    const { container } = renderWithFake(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, seeded());
    const section = await screen.findByRole('region', { name: 'Worktree' });
    expect(section.textContent).toContain('wg/agent-1/build → main');
    expect(within(section).getByText('active')).toBeTruthy();
    const files = await within(section).findByRole('list', { name: 'Changed files' });
    expect(files.textContent).toContain('src/api.ts+1 −1');
    expect(files.textContent).toContain('docs/new.md+2 −0');
    // Two files: both open at once, drawn by react-diff-view.
    await waitFor(() => expect(container.querySelectorAll('.diff-body table.diff').length).toBe(2));
    expect(container.querySelector('.diff-code-insert')?.textContent).toContain('export const b = 3;');
    const head = within(files).getByRole('button', { name: /src\/api\.ts/ });
    fireEvent.click(head);
    expect(head.getAttribute('aria-expanded')).toBe('false');
    await waitFor(() => expect(container.querySelectorAll('.diff-body table.diff').length).toBe(1));
  });

  it('names the conflicting files of a refused merge, and marks the card', async () => {
    const fake = seeded();
    renderWithFake(<TaskInspector taskId="clash" onEdit={() => undefined} onClose={() => undefined} />, fake);
    const conflict = await screen.findByText(/Merge conflict/);
    expect(conflict.parentElement?.textContent).toContain('in src/api.ts, README.md: nothing changed on main');
    cleanup();
    const clash = fake.tasks.get('clash');
    if (!clash) throw new Error('the seeded project has no task clash');
    renderWithFake(<TaskCard task={clash} agent={null} state={{ kind: 'running', text: 'running' }} />, fake);
    expect(screen.getByText('conflict').getAttribute('title')).toBe('merge conflict in src/api.ts, README.md');
  });
});

describe('the worktrees page', () => {
  it('lists every worktree with its state, and removes one only after a confirmation naming what is lost', async () => {
    const fake = seeded();
    renderWithFake(<WorktreesPage />, fake, 'worktrees');
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
    const fake = seeded();
    renderWithFake(<WorktreesPage />, fake, 'worktrees');
    fireEvent.click(await screen.findByRole('button', { name: 'Clean up…' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Clean up worktrees' });
    expect(dialog.textContent).toContain('Remove 1 worktree(s) whose work is merged or that never had any: agent-4?');
    expect(dialog.textContent).toContain('agent-3 is kept: 1 uncommitted file');
    expect(fake.calls.filter((c) => c.name === 'worktree:gc').map((c) => c.input)).toEqual([{ apply: false }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Remove 1' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.name === 'worktree:gc').map((c) => c.input)).toEqual([{ apply: false }, { apply: true }]),
    );
  });
});
