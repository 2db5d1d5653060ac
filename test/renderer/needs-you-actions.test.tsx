// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { parseScore } from '../../src/renderer/inspector/NeedsYouActions';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import type { TaskState } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

/** Issue 75 item 2: the inspector offers what a task that needs the person needs, and each does what `wg` does. */
afterEach(cleanup);

async function project() {
  const fake = await Workgraph.open();
  await fake.seed(
    [
      makeTask({ id: 'review', title: 'Review the copy', status: 'pending-validation' }),
      makeTask({ id: 'scored', title: 'Scored later', status: 'pending-eval' }),
      makeTask({ id: 'broke', title: 'Migrate', status: 'failed', failure_reason: 'expected 200, got 503' }),
      makeTask({ id: 'after', title: 'After', after: ['broke'] }),
      makeTask({ id: 'pilot', title: 'Sign the contract', executor: 'manual' }),
      makeTask({ id: 'ui', title: 'Build the UI', status: 'done' }),
      makeTask({ id: '.merge-ui', title: 'Merge: ui', after: ['ui'], tags: ['merge'] }),
    ],
    [],
  );
  return fake;
}

const inspect = (fake: Workgraph, id: string, state: TaskState) =>
  renderWithProject(<TaskInspector taskId={id} state={state} onEdit={() => undefined} onClose={() => undefined} />, fake);

async function enabledButton(name: string): Promise<HTMLButtonElement> {
  const button = await screen.findByRole<HTMLButtonElement>('button', { name });
  await waitFor(() => expect(button.disabled).toBe(false));
  return button;
}

async function answer(text: string, confirmLabel: string) {
  const dialog = await screen.findByRole('dialog');
  fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: text } });
  fireEvent.click(within(dialog).getByRole('button', { name: confirmLabel }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
}

describe('the actions of what needs you, in the inspector', () => {
  const approval: TaskState = { kind: 'needs-you', text: 'awaits your approval', needs: 'approve' };

  it('approves an approval, in place of Pause and Mark done, with Undo', async () => {
    const fake = await project();
    inspect(fake, 'review', approval);
    await enabledButton('Approve');
    expect(screen.queryByRole('button', { name: 'Mark done' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Pause' })).toBeNull();
    fireEvent.click(await enabledButton('Approve'));
    await waitFor(async () => expect((await fake.task('review'))?.status).toBe('done'));
    await screen.findByText('Approved', { selector: '.toast strong' });
  });

  it("says a .merge-X is merged once asked (the merge is git's, outside the window), and Cancel leaves it", async () => {
    const fake = await project();
    inspect(fake, '.merge-ui', { kind: 'needs-you', text: 'done; not merged', needs: 'merge' });
    fireEvent.click(await enabledButton('Merged: mark done…'));
    const dialog = await screen.findByRole('dialog', { name: 'Is “Merge: ui” merged?' });
    expect(dialog.textContent).toContain('the branch of ui is merged');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await fake.task('.merge-ui'))?.status).toBe('open');
    fireEvent.click(await enabledButton('Merged: mark done…'));
    fireEvent.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'It is merged: mark done' }));
    await waitFor(async () => expect((await fake.task('.merge-ui'))?.status).toBe('done'));
  });

  it('rejects with the feedback typed in its box, sent as the reason', async () => {
    const fake = await project();
    inspect(fake, 'review', approval);
    fireEvent.click(await enabledButton('Reject…'));
    // The feedback is required: the dialog's Reject is disabled until it is typed.
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Reject' }).disabled).toBe(true);
    await answer('The headline is too long', 'Reject');
    await waitFor(async () => expect((await fake.task('review'))?.status).toBe('open'));
    expect((await fake.task('review'))?.log.some((entry) => entry.message.includes('The headline is too long'))).toBe(true);
  });

  it('records a score for an evaluation nothing runs, and skips one as a pass', async () => {
    const fake = await project();
    const stuck: TaskState = { kind: 'needs-you', text: 'no evaluation will run', needs: 'evaluate' };
    inspect(fake, 'scored', stuck);
    fireEvent.click(await enabledButton('Record a score…'));
    await answer('90%', 'Record score');
    await waitFor(async () => expect((await fake.task('scored'))?.evaluation?.score).toBe(0.9));
    cleanup();
    await fake.update('scored', { status: 'pending-eval', evaluation: null });
    inspect(fake, 'scored', stuck);
    fireEvent.click(await enabledButton('Skip'));
    await waitFor(async () => expect((await fake.task('scored'))?.status).toBe('done'));
  });

  it('retries a failure others wait on, or abandons it after asking', async () => {
    const fake = await project();
    const unblock: TaskState = { kind: 'needs-you', text: 'failed; 1 task waits on it', needs: 'unblock', detail: 'expected 200, got 503' };
    inspect(fake, 'broke', unblock);
    // Its reason stays in view in the inspector.
    await waitFor(() => expect(screen.getByRole('complementary').textContent).toContain('expected 200, got 503'));
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(1);
    fireEvent.click(await enabledButton('Abandon…'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect((await fake.task('broke'))?.status).toBe('failed');
    fireEvent.click(await enabledButton('Retry'));
    await waitFor(async () => expect((await fake.task('broke'))?.status).toBe('open'));
  });

  it('marks a manual task done with one button, not two', async () => {
    const fake = await project();
    inspect(fake, 'pilot', { kind: 'needs-you', text: 'yours to do', needs: 'do' });
    await enabledButton('Mark done');
    expect(screen.getAllByRole('button', { name: 'Mark done' })).toHaveLength(1);
    fireEvent.click(await enabledButton('Mark done'));
    await waitFor(async () => expect((await fake.task('pilot'))?.status).toBe('done'));
  });
});

describe('a score as a person types it', () => {
  it('reads 0.9, .9, 90 and 90%, and refuses what is not a score', () => {
    expect([parseScore('0.9'), parseScore('.9'), parseScore('90'), parseScore(' 90 % ')]).toEqual([0.9, 0.9, 0.9, 0.9]);
    expect([parseScore(''), parseScore('high'), parseScore('-1'), parseScore('150%')]).toEqual([null, null, null, null]);
  });
});
