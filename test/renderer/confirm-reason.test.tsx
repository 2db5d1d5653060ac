// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskInspector } from '../../src/renderer/inspector/TaskInspector';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

async function inspect(id: string) {
  const fake = await Workgraph.open();
  await fake.seed([makeTask({ id: 'build', title: 'Build it' }), makeTask({ id: 'docs', title: 'Write docs' })]);
  renderWithProject(<TaskInspector taskId={id} onEdit={() => undefined} onClose={() => undefined} />, fake);
  await screen.findByRole('heading', { name: id === 'build' ? 'Build it' : 'Write docs' });
  return fake;
}

async function open(button: string, title: RegExp): Promise<HTMLElement> {
  const found = await screen.findByRole<HTMLButtonElement>('button', { name: button });
  await waitFor(() => expect(found.disabled).toBe(false));
  fireEvent.click(found);
  return screen.findByRole('dialog', { name: title });
}

/** The reason box, where the dialog puts the focus, and what its hint says. */
function reasonBox(dialog: HTMLElement) {
  const box = within(dialog).getByRole<HTMLTextAreaElement>('textbox');
  expect(document.activeElement).toBe(box);
  const hint = document.getElementById(box.getAttribute('aria-describedby') ?? '')?.textContent;
  return { box, hint };
}

describe('a confirm dialog with a Reason box', () => {
  it('Fail…: Ctrl+Enter in the box submits once a reason is typed; Enter alone is a new line; the hint says so', async () => {
    const fake = await inspect('build');
    const dialog = await open('Fail…', /Mark “Build it” failed/);
    const { box, hint } = reasonBox(dialog);
    expect(hint).toMatch(/^required · (Ctrl\+|⌘)Enter to confirm$/);
    // Nothing typed yet: the reason is required, so Ctrl+Enter does not go ahead.
    fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true });
    expect(screen.queryByRole('dialog')).not.toBeNull();
    fireEvent.change(box, { target: { value: 'flaky\nsee CI' } });
    expect(fireEvent.keyDown(box, { key: 'Enter' })).toBe(true);
    expect(screen.queryByRole('dialog')).not.toBeNull();
    expect(fireEvent.keyDown(box, { key: 'Enter', ctrlKey: true })).toBe(false);
    await waitFor(async () => expect((await fake.task('build'))?.status).toBe('failed'));
    expect((await fake.task('build'))?.failure_reason).toBe('flaky\nsee CI');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Abandon…: ⌘Enter in the box submits, the reason being optional', async () => {
    const fake = await inspect('docs');
    const dialog = await open('Abandon…', /Abandon “Write docs”/);
    const { box, hint } = reasonBox(dialog);
    expect(hint).toMatch(/^optional · (Ctrl\+|⌘)Enter to confirm$/);
    fireEvent.keyDown(box, { key: 'Enter', metaKey: true });
    await waitFor(async () => expect((await fake.task('docs'))?.status).toBe('abandoned'));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
