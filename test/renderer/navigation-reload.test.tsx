// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { BackendProvider } from '../../src/renderer/api/backend-context';
import { GraphProvider, useGraph } from '../../src/renderer/state/graph-context';
import { NavigationProvider, useNavigation } from '../../src/renderer/state/navigation';
import { makeAgent, makeTask } from './support/fixtures';
import { Workgraph } from './support/workgraph';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

/** The page and the open task, once the graph is in; buttons that choose them. */
function Where() {
  const { page, selectedTask, outputAgent, selectedIdentity, goTo, selectTask, openOutput, openIdentity } = useNavigation();
  const { loaded } = useGraph();
  return (
    <div>
      <output aria-label="where">{loaded ? `${page} ${selectedTask ?? 'none'}` : 'loading'}</output>
      <output aria-label="shown">{`${outputAgent ?? 'none'} ${selectedIdentity ?? 'none'}`}</output>
      <button type="button" onClick={() => openOutput('agent-1')}>
        output of agent-1
      </button>
      <button type="button" onClick={() => openIdentity('abc123')}>
        identity abc123
      </button>
      <button type="button" onClick={() => selectTask('docs')}>
        open docs
      </button>
      <button type="button" onClick={() => goTo('agents')}>
        agents
      </button>
    </div>
  );
}

/** The window as the app opens it (no page given: where it was), on `fake`'s project. */
function open(fake: Workgraph) {
  return render(
    <BackendProvider backend={fake.backend}>
      <GraphProvider>
        <NavigationProvider>
          <Where />
        </NavigationProvider>
      </GraphProvider>
    </BackendProvider>,
  );
}

async function project() {
  const fake = await Workgraph.open();
  await fake.seed(
    [makeTask({ id: 'schema', title: 'Design the schema' }), makeTask({ id: 'docs', title: 'Document the API', after: ['schema'] })],
    [makeAgent({ id: 'agent-1', task_id: 'schema', started_at: '2026-03-03T10:00:00.000Z' })],
  );
  return fake;
}

const where = () => screen.getByLabelText('where').textContent;
const shown = () => screen.getByLabelText('shown').textContent;

/** A reload: the page goes, the window's session (its sessionStorage) stays. */
async function reload(fake: Workgraph) {
  cleanup();
  open(fake);
  await screen.findByText(/^(?!loading)/, { selector: 'output' });
}

describe('a reload', () => {
  it('keeps the open task', async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('open docs'));
    expect(where()).toBe('graph docs');
    await reload(fake);
    await screen.findByText('graph docs');
  });

  it('keeps the open page', async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('agents'));
    await reload(fake);
    expect(where()).toBe('agents none');
  });

  it('drops, quietly, a task that no longer exists', async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('open docs'));
    cleanup();
    await fake.remove('docs');
    await reload(fake);
    expect(where()).toBe('graph none');
    expect(sessionStorage.getItem('wg.navigation') ?? '').not.toContain('docs');
  });

  it('does not open a task of the same id in another project (the desktop app reloads the window to switch)', async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('open docs'));
    cleanup();
    const other = await Workgraph.open();
    await other.seed([makeTask({ id: 'docs', title: 'Docs of another project', created_at: '2026-02-02T00:00:00.000Z' })]);
    await reload(other);
    expect(where()).toBe('graph none');
  });

  it("keeps the run output's agent and the agency page's identity", async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('identity abc123'));
    fireEvent.click(screen.getByText('output of agent-1'));
    await reload(fake);
    expect(where()).toBe('output none');
    expect(shown()).toBe('agent-1 abc123');
  });

  it('does not show a run of the same id in another project', async () => {
    const fake = await project();
    open(fake);
    await screen.findByText('graph none');
    fireEvent.click(screen.getByText('output of agent-1'));
    cleanup();
    const other = await Workgraph.open();
    await other.seed(
      [makeTask({ id: 'x', title: 'X' })],
      [makeAgent({ id: 'agent-1', task_id: 'x', started_at: '2026-04-04T00:00:00.000Z' })],
    );
    await reload(other);
    expect(shown()).toBe('none none');
  });
});
