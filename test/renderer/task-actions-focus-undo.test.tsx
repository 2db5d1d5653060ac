// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { makeTask } from './support/fixtures';
import { createClient } from '../../src/shared/client';
import { renderWithBackend, renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

async function project() {
  const fake = await Workgraph.open();
  await fake.seed(
    [
      makeTask({ id: 'schema', title: 'Write the schema' }),
      makeTask({ id: 'api', title: 'Build the API', after: ['schema'] }),
      makeTask({ id: 'shipped', title: 'Shipped', status: 'done' }),
      makeTask({ id: 'notes', title: 'Release notes', status: 'done', after: ['shipped'] }),
    ],
    [],
  );
  return fake;
}

function inspect(fake: Workgraph, id: string) {
  return renderWithProject(<TaskInspector taskId={id} onEdit={() => undefined} onClose={() => undefined} />, fake);
}

/** A button once it can be pressed (the buttons wait for the last action's refresh). */
async function enabledButton(name: string): Promise<HTMLButtonElement> {
  const button = await screen.findByRole<HTMLButtonElement>('button', { name });
  await waitFor(() => expect(button.disabled).toBe(false));
  return button;
}

const inspector = () => screen.getByRole('complementary', { name: 'Task inspector' });

describe('Mark done, one keypress: said with Undo, and a done task can be reopened', () => {
  it('offers Undo, which puts the task back to open and what follows it back to waiting, and keeps the focus on Reopen', async () => {
    const fake = await project();
    inspect(fake, 'schema');
    const markDone = await enabledButton('Mark done');
    markDone.focus();
    fireEvent.click(markDone);
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('done'));
    // The button pressed went with the open state: the focus is on what the done task offers, not the page's body.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Reopen…'));
    expect(inspector().contains(document.activeElement)).toBe(true);
    const toast = (await screen.findByText('Marked done', { selector: '.toast strong' })).closest('.toast') as HTMLElement;
    expect(toast.textContent).toContain('“Write the schema” is done');
    fireEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('open'));
    expect((await fake.task('schema'))?.completed_at).toBeNull();
    expect((await fake.task('api'))?.status).toBe('open');
    await enabledButton('Mark done');
  });

  it('asks before an Undo stops an agent that started on a task after it meanwhile, and a no keeps both', async () => {
    const fake = await project();
    inspect(fake, 'schema');
    fireEvent.click(await enabledButton('Mark done'));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('done'));
    // The coordinator starts an agent on what waited for it.
    await fake.call('task:claim', { id: 'api', agent: 'agent-17' });
    await waitFor(async () => expect((await fake.task('api'))?.status).toBe('in-progress'));
    const toast = (await screen.findByText('Marked done', { selector: '.toast strong' })).closest('.toast') as HTMLElement;
    fireEvent.click(within(toast).getByRole('button', { name: 'Undo' }));
    let dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Reopen “Write the schema”?');
    expect(dialog.textContent).toContain('An agent is working on “Build the API”');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await fake.task('schema'))?.status).toBe('done');
    expect((await fake.task('api'))?.status).toBe('in-progress');
    // Reopen…, the same question, and a yes.
    fireEvent.click(await enabledButton('Reopen…'));
    dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Stop it and reopen' }));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('open'));
    expect((await fake.task('api'))?.status).toBe('open');
  });

  // Reopen wipes a finished task's completion and holds up the tasks after it again: it asks first, as there is no Undo.
  it('asks before Reopen… wipes a finished task and sets an agent on it again; Cancel keeps it done', async () => {
    const fake = await project();
    inspect(fake, 'schema');
    fireEvent.click(await enabledButton('Mark done'));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('done'));
    fireEvent.click(await enabledButton('Reopen…'));
    let dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Reopen “Write the schema”?');
    expect(dialog.textContent).toMatch(/started again when it is ready; the (task after it waits|\d+ tasks after it wait) for it again/);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await fake.task('schema'))?.status).toBe('done');
    fireEvent.click(await enabledButton('Reopen…'));
    dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reopen' }));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('open'));
  });

  it('refuses to reopen a done task when a task after it has finished on its own, and says why', async () => {
    const fake = await project();
    inspect(fake, 'shipped');
    fireEvent.click(await enabledButton('Reopen…'));
    await screen.findByText(/would reopen “Release notes”/, { selector: '.toast *' });
    expect((await fake.task('shipped'))?.status).toBe('done');
    expect((await fake.task('notes'))?.status).toBe('done');
  });
});

describe('the focus after an action in the inspector', () => {
  // Looking for a full run's board test, where the focus ended on the inspector's title after Mark done: the state
  // coming before the action's answer (this order) lands where it should, with or without the pending guard.
  it('lands on what the new state offers when that state comes before the action answers', async () => {
    const fake = await project();
    const slowDone = createClient(async (name, input) => {
      const answer = await fake.transport(name, input);
      if (name === 'task:done') await new Promise((resolve) => setTimeout(resolve, 500));
      return answer;
    });
    renderWithBackend(
      <TaskInspector taskId="schema" onEdit={() => undefined} onClose={() => undefined} />,
      { ...fake.backend, client: slowDone, app: null },
      'graph',
    );
    const markDone = await enabledButton('Mark done');
    markDone.focus();
    fireEvent.click(markDone);
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('done'));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Reopen…'), { timeout: 5000 });
  });

  it('stays in the inspector after Fail (on Retry), not on the page body', async () => {
    const fake = await project();
    inspect(fake, 'schema');
    fireEvent.click(await enabledButton('Fail…'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Reason/), { target: { value: 'broke the build' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Mark failed' }));
    await waitFor(async () => expect((await fake.task('schema'))?.status).toBe('failed'));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Retry'));
  });

  it('returns from a dialog to the inspector when the button that opened it is gone', async () => {
    const fake = await project();
    inspect(fake, 'schema');
    const abandon = await enabledButton('Abandon…');
    abandon.focus();
    fireEvent.click(abandon);
    await screen.findByRole('dialog');
    // Meanwhile it is abandoned from the command line: the Abandon… button that opened the dialog goes.
    await fake.call('task:abandon', { id: 'schema' });
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Abandon…', hidden: true })).toBeNull());
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(document.activeElement).toBe(inspector().querySelector('.inspector-title'));
  });
});
