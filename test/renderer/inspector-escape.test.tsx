// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/renderer/Root';
import { makeTask } from './support/fixtures';
import { giveElementsASize } from './support/sizes';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);
giveElementsASize({ width: 1200, height: 800 });
// The first layout runs in this thread here (no workers), which takes a moment.
const LAID_OUT = { timeout: 10_000 };

async function open() {
  const fake = await Workgraph.open();
  await fake.seed([makeTask({ id: 'build', title: 'Build the API' }), makeTask({ id: 'docs', title: 'Write docs' })]);
  const { container } = render(<Root backend={fake.backend} />);
  await screen.findByText('Build the API', {}, LAID_OUT);
  const openTask = async (id: string) => {
    fireEvent.click(container.querySelector(`[data-id="${id}"]`) as HTMLElement);
    const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
    await waitFor(() => expect(inspector.getAttribute('data-task')).toBe(id));
    return inspector;
  };
  return { openTask };
}

const inspectorShown = () => screen.queryByRole('complementary', { name: 'Task inspector' });

describe('Escape while writing a message in the inspector', () => {
  it('does not close the inspector while the box holds text; the focus leaves the box, and the next Escape closes', async () => {
    const { openTask } = await open();
    const inspector = await openTask('build');
    const box = within(inspector).getByRole<HTMLTextAreaElement>('textbox', { name: 'Message to build' });
    box.focus();
    fireEvent.change(box, { target: { value: 'Please use the retry helper' } });
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(inspectorShown()).not.toBeNull();
    expect(box.value).toBe('Please use the retry helper');
    // Still in the inspector, out of the box: a second Escape is a request to close.
    expect(document.activeElement).not.toBe(box);
    expect(inspector.contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    await waitFor(() => expect(inspectorShown()).toBeNull());
  });

  it('an empty box does not hold the inspector open', async () => {
    const { openTask } = await open();
    const inspector = await openTask('build');
    const box = within(inspector).getByRole('textbox', { name: 'Message to build' });
    box.focus();
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(inspectorShown()).toBeNull());
  });

  it('keeps an unsent draft per task when the inspector closes and opens again', async () => {
    const { openTask } = await open();
    let inspector = await openTask('build');
    fireEvent.change(within(inspector).getByRole('textbox', { name: 'Message to build' }), { target: { value: 'Draft for build' } });
    fireEvent.click(within(inspector).getByRole('button', { name: 'Close inspector' }));
    await waitFor(() => expect(inspectorShown()).toBeNull());
    inspector = await openTask('docs');
    expect(within(inspector).getByRole<HTMLTextAreaElement>('textbox', { name: 'Message to docs' }).value).toBe('');
    inspector = await openTask('build');
    expect(within(inspector).getByRole<HTMLTextAreaElement>('textbox', { name: 'Message to build' }).value).toBe('Draft for build');
  });
});
