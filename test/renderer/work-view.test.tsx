// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendProvider } from '../../src/renderer/api/backend-context';
import { useWorkView } from '../../src/renderer/board/use-work-view';
import type { ProjectSummary } from '../../src/shared/projects';
import { FakeApp } from './support/fake-app';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const project = (folder: string, current: boolean): ProjectSummary => ({
  folder,
  name: folder.split('/').pop() ?? folder,
  current,
  service: 'running',
  working: [],
  failed: [],
  waiting: [],
});

function Probe() {
  const { view, choose } = useWorkView();
  return (
    <button type="button" onClick={() => choose(view === 'board' ? 'graph' : 'board')}>
      {view ?? 'unknown'}
    </button>
  );
}

async function renderWith(app: FakeApp | null) {
  const backend = { ...(await Workgraph.open()).backend, app: app?.client ?? null };
  return render(
    <BackendProvider backend={backend}>
      <Probe />
    </BackendProvider>,
  );
}

describe('the graph or the board, remembered per project', () => {
  it('in the desktop app, keeps each project’s choice under its folder, and waits to know the project before choosing', async () => {
    const app = new FakeApp([project('/work/shop', true), project('/work/docs', false)]);
    await renderWith(app);
    // Until the app says which project is shown: neither view (the page does not start in the wrong one).
    expect(screen.getByRole('button').textContent).toBe('unknown');
    const button = await screen.findByRole('button', { name: 'graph' });
    await act(async () => button.click());
    expect(screen.getByRole('button').textContent).toBe('board');
    expect(localStorage.getItem('wg.work-view:/work/shop')).toBe('board');
    cleanup();
    // Another project shown (the window reloads on a switch): its own choice, the graph by default.
    await renderWith(new FakeApp([project('/work/shop', false), project('/work/docs', true)]));
    expect((await screen.findByRole('button', { name: /graph|board/ })).textContent).toBe('graph');
    cleanup();
    await renderWith(new FakeApp([project('/work/shop', true), project('/work/docs', false)]));
    expect((await screen.findByRole('button', { name: /graph|board/ })).textContent).toBe('board');
  });

  it('in browser mode (one project per daemon), keeps it under the daemon’s own storage at once', async () => {
    await renderWith(null);
    expect(screen.getByRole('button').textContent).toBe('graph');
    await act(async () => screen.getByRole('button').click());
    expect(localStorage.getItem('wg.work-view')).toBe('board');
    cleanup();
    await renderWith(null);
    expect(screen.getByRole('button').textContent).toBe('board');
  });
});
