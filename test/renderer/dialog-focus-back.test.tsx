// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { makeAgent, makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/** A task's running agent in the inspector, its Stop dialog opened from the focused “Stop agent…”. */
async function openStopDialog() {
  const project = await Workgraph.open();
  await project.seed(
    [makeTask({ id: 'build', title: 'Build it', status: 'in-progress', assigned: 'agent-1' })],
    [makeAgent({ id: 'agent-1', task_id: 'build', started_at: new Date().toISOString() })],
  );
  renderWithProject(<TaskInspector taskId="build" onEdit={() => undefined} onClose={() => undefined} />, project);
  const stop = await screen.findByRole<HTMLButtonElement>('button', { name: 'Stop agent…' });
  stop.focus();
  fireEvent.click(stop);
  return { project, stop, dialog: await screen.findByRole('dialog', { name: 'Stop agent-1?' }) };
}

// Review finding L3: Escape (or Cancel) in the Stop dialog left the focus on <body>: the button that opened it was
// disabled while its action waited on the dialog, so the dialog's focus() on it did nothing.
describe('the Stop dialog, cancelled', () => {
  for (const how of ['Escape', 'Cancel'] as const) {
    it(`gives the focus back to “Stop agent…” (${how})`, async () => {
      const { project, stop, dialog } = await openStopDialog();
      if (how === 'Escape') fireEvent.keyDown(document.activeElement ?? dialog, { key: 'Escape' });
      else fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
      await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
      await waitFor(() => expect(document.activeElement).toBe(stop));
      expect((await project.agent('agent-1'))?.state).toBe('working');
    });
  }
});

// A confirmed Stop removes “Stop agent…” with the run: the focus must not fall to the page's body.
describe('the Stop dialog, confirmed', () => {
  for (const [choice, next] of [
    ['Stop and requeue', 'Pause'],
    ['Stop and hold', 'Resume'],
  ] as const) {
    it(`keeps the focus in the inspector, on what the task offers now (${choice})`, async () => {
      const { project, dialog } = await openStopDialog();
      fireEvent.click(within(dialog).getByLabelText(new RegExp(choice)));
      fireEvent.click(within(dialog).getByRole('button', { name: choice }));
      await waitFor(async () => expect((await project.agent('agent-1'))?.state).toBe('killed'));
      await waitFor(() => expect(screen.queryByRole('button', { name: 'Stop agent…' })).toBeNull());
      await waitFor(() => expect(document.activeElement?.textContent).toBe(next));
      expect(screen.getByRole('complementary', { name: 'Task inspector' }).contains(document.activeElement)).toBe(true);
    });
  }
});
