// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDependencyEditing } from '../../src/renderer/graph/use-dependency-editing';
import { useGraph } from '../../src/renderer/state/graph-context';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/** What the canvas does when a drag from `source` ends on `target`, as a button; shown once the graph is in. */
function Harness({ source, target }: { source: string; target: string }) {
  const editing = useDependencyEditing();
  const { loaded } = useGraph();
  if (!loaded) return null;
  return (
    <button type="button" onClick={() => void editing.link({ source, target })}>
      connect
    </button>
  );
}

/** The Undo of a removal: the dependency put back, as GraphPage's unlink toast does. */
function Restorer({ source, target }: { source: string; target: string }) {
  const editing = useDependencyEditing();
  const { loaded } = useGraph();
  if (!loaded) return null;
  return (
    <button type="button" onClick={() => void editing.link({ source, target }, { restoring: true })}>
      put back
    </button>
  );
}

/**
 * Design the schema ← Write the migration (done) ← Add the API (running); Document the API (open, after the schema);
 * Release (open) after the API.
 */
async function project() {
  const fake = await Workgraph.open();
  await fake.seed([
    makeTask({ id: 'schema', title: 'Design the schema', status: 'done' }),
    makeTask({ id: 'migrate', title: 'Write the migration', status: 'done', after: ['schema'] }),
    makeTask({ id: 'api', title: 'Add the API', status: 'in-progress', after: ['migrate'] }),
    makeTask({ id: 'docs', title: 'Document the API', after: ['schema'] }),
    makeTask({ id: 'release', title: 'Release', after: ['api'] }),
  ]);
  return fake;
}

async function connect(fake: Workgraph, source: string, target: string) {
  renderWithProject(<Harness source={source} target={target} />, fake);
  fireEvent.click(await screen.findByText('connect'));
}

/** The notice whose title is `title`, once it shows. */
async function notice(title: string | RegExp): Promise<HTMLElement> {
  const heading = await screen.findByText(title, { selector: '.toast strong' });
  return heading.closest('.toast') as HTMLElement;
}

const dependenciesOf = async (fake: Workgraph, id: string) => [...((await fake.task(id))?.after ?? [])].sort();

describe('a removed dependency put back by its Undo', () => {
  it('is put back without an Undo of its own (a second Ctrl+Z would take it away again)', async () => {
    const fake = await project();
    renderWithProject(<Restorer source="docs" target="release" />, fake);
    fireEvent.click(await screen.findByText('put back'));
    await waitFor(async () => expect(await dependenciesOf(fake, 'release')).toEqual(['api', 'docs']));
    expect(screen.queryByText('Added a dependency', { selector: '.toast strong' })).toBeNull();
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(await dependenciesOf(fake, 'release')).toEqual(['api', 'docs']);
  });

  it('still says what it means for a running task', async () => {
    const fake = await project();
    renderWithProject(<Restorer source="docs" target="api" />, fake);
    fireEvent.click(await screen.findByText('put back'));
    const running = await notice('“Add the API” is already running');
    expect(within(running).queryByRole('button', { name: 'Undo' })).toBeNull();
  });
});

describe('a dependency added on the canvas', () => {
  it('offers Undo, which takes that dependency away again', async () => {
    const fake = await project();
    await connect(fake, 'docs', 'release');
    const added = await notice('Added a dependency');
    expect(added.textContent).toContain('“Release” now waits for “Document the API”.');
    expect(await dependenciesOf(fake, 'release')).toEqual(['api', 'docs']);
    fireEvent.click(within(added).getByRole('button', { name: 'Undo' }));
    await waitFor(async () => expect(await dependenciesOf(fake, 'release')).toEqual(['api']));
    expect(fake.calls.filter((call) => call.name === 'task:rmDep').map((call) => call.input)).toEqual([
      { task: 'release', dependency: 'docs' },
    ]);
  });

  it('is undone from the keyboard too (Ctrl+Z)', async () => {
    const fake = await project();
    await connect(fake, 'docs', 'release');
    await notice('Added a dependency');
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(async () => expect(await dependenciesOf(fake, 'release')).toEqual(['api']));
  });

  it('given to a done task, says that the task will not run again for it, with Undo; the task stays done, as upstream’s', async () => {
    const fake = await project();
    await connect(fake, 'docs', 'migrate');
    const done = await notice('“Write the migration” is already done');
    expect(done.textContent).toContain('It now depends on “Document the API”, but it will not run again for it: a done task stays done.');
    expect((await fake.task('migrate'))?.status).toBe('done');
    expect(await dependenciesOf(fake, 'migrate')).toEqual(['docs', 'schema']);
    fireEvent.click(within(done).getByRole('button', { name: 'Undo' }));
    await waitFor(async () => expect(await dependenciesOf(fake, 'migrate')).toEqual(['schema']));
  });

  it('given to a running task, says its run goes on, with Undo', async () => {
    const fake = await project();
    await connect(fake, 'docs', 'api');
    const running = await notice('“Add the API” is already running');
    expect(within(running).getByRole('button', { name: 'Undo' })).toBeTruthy();
  });
});

describe('a dependency the canvas does not add', () => {
  it('refuses a loop in titles, in the direction of the graph’s arrows, as a notice and not a bar', async () => {
    const fake = await project();
    // Release waits for the API, which waits for the migration: the migration cannot wait for Release.
    await connect(fake, 'release', 'migrate');
    const refused = await notice('Not added: “Release” already waits for “Write the migration”');
    expect(refused.textContent).toContain(
      'Write the migration → Add the API → Release: “Write the migration” cannot also wait for “Release”, or each would wait for the other.',
    );
    expect(await dependenciesOf(fake, 'migrate')).toEqual(['schema']);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says so when the dependency is already there, and changes nothing', async () => {
    const fake = await project();
    await connect(fake, 'migrate', 'api');
    const already = await notice('Already there');
    expect(already.textContent).toContain('“Add the API” already depends on “Write the migration”: nothing changed.');
    expect(fake.calls.some((call) => call.name === 'task:addDep')).toBe(false);
    expect(within(already).queryByRole('button', { name: 'Undo' })).toBeNull();
  });
});
