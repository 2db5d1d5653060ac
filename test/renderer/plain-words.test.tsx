// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Root } from '../../src/renderer/Root';
import { makeTask } from './support/fixtures';
import { giveElementsASize } from './support/sizes';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);
giveElementsASize({ width: 1200, height: 800 });
const LAID_OUT = { timeout: 10_000 };

/** Words a person reads in the window every day, each said right in its small way. */
async function open() {
  const fake = await Workgraph.open();
  const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000).toISOString();
  await fake.seed([
    makeTask({ id: 'built', title: 'Build the API', status: 'done', started_at: at(30), completed_at: at(26) }),
    makeTask({ id: 'dropped', title: 'Drop the old tables', status: 'abandoned', started_at: at(60), completed_at: at(2) }),
    makeTask({ id: 'docs', title: 'Write docs' }),
  ]);
  const { container } = render(<Root backend={fake.backend} />);
  await screen.findByText('Write docs', {}, LAID_OUT);
  return container;
}

async function factOf(container: HTMLElement, id: string, label: string): Promise<string> {
  fireEvent.click(container.querySelector(`[data-id="${id}"]`) as HTMLElement);
  const inspector = await screen.findByRole('complementary', { name: 'Task inspector' });
  await waitFor(() => expect(inspector.getAttribute('data-task')).toBe(id));
  const term = within(inspector).getByText(label, { selector: 'dt' });
  return term.nextElementSibling?.textContent ?? '';
}

describe('plain words', () => {
  it('says how long a finished task took, and no "took" for an abandoned one (its end is when it was given up)', async () => {
    const container = await open();
    expect(await factOf(container, 'built', 'Finished')).toMatch(/, took 4m/);
    expect(await factOf(container, 'dropped', 'Abandoned')).not.toMatch(/took/);
  });

  it('tells a screen reader "1 matching task", and "2 matching tasks"', async () => {
    await open();
    const search = screen.getByRole('combobox', { name: 'Search tasks' });
    fireEvent.change(search, { target: { value: 'docs' } });
    await screen.findByText('1 matching task');
    fireEvent.change(search, { target: { value: 'the' } });
    await screen.findByText('2 matching tasks');
  });
});
