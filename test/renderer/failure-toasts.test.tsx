// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useWorkNotifications } from '../../src/renderer/notifications/use-work-notifications';
import { useGraph } from '../../src/renderer/state/graph-context';
import { useNavigation } from '../../src/renderer/state/navigation';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/** The app's work notifications, and which task is open (what "Show" did). */
function Window() {
  useWorkNotifications();
  const { loaded } = useGraph();
  const { selectedTask } = useNavigation();
  return loaded ? <output aria-label="Open task">{selectedTask ?? 'none'}</output> : null;
}

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const failureToasts = () =>
  screen.queryAllByText(/failed/, { selector: '.toast strong' }).map((title) => title.closest('.toast') as HTMLElement);

async function failAll(fake: Workgraph, ids: readonly string[]) {
  for (const id of ids) {
    await fake.call('task:fail', { id, reason: 'exit code 1: tests failed' });
    // Each told by itself, as failures from the command line a moment apart are.
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
  }
}

describe('tasks failing one after another', () => {
  it('are told in one notice that counts them, not a stack of notices; Show opens the latest', async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      ...IDS.map((id) => makeTask({ id, title: `Task ${id.toUpperCase()}` })),
      makeTask({ id: 'busy', status: 'in-progress' }),
    ]);
    renderWithProject(<Window />, fake);
    await screen.findByLabelText('Open task');
    await failAll(fake, ['a']);
    await waitFor(() =>
      expect(failureToasts().map((toast) => toast.querySelector('strong')?.textContent)).toEqual(['Task failed: Task A']),
    );
    await failAll(fake, IDS.slice(1));
    await waitFor(() => expect(failureToasts()[0]?.querySelector('strong')?.textContent).toBe('8 tasks failed'));
    expect(failureToasts()).toHaveLength(1);
    const toast = failureToasts()[0] as HTMLElement;
    expect(toast.textContent).toContain('Latest: “Task H”: exit code 1: tests failed');
    fireEvent.click(within(toast).getByRole('button', { name: 'Show' }));
    expect(screen.getByLabelText('Open task').textContent).toBe('h');
  });

  it('after the notice has gone, start a new one', async () => {
    const fake = await Workgraph.open();
    await fake.seed([
      ...IDS.map((id) => makeTask({ id, title: `Task ${id.toUpperCase()}` })),
      makeTask({ id: 'busy', status: 'in-progress' }),
    ]);
    renderWithProject(<Window />, fake);
    await screen.findByLabelText('Open task');
    await failAll(fake, ['a', 'b']);
    await waitFor(() => expect(failureToasts()[0]?.querySelector('strong')?.textContent).toBe('2 tasks failed'));
    fireEvent.click(within(failureToasts()[0] as HTMLElement).getByRole('button', { name: 'Close notification' }));
    await failAll(fake, ['c']);
    await waitFor(() =>
      expect(failureToasts().map((toast) => toast.querySelector('strong')?.textContent)).toEqual(['Task failed: Task C']),
    );
  });
});
