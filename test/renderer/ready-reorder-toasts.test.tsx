// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useMemo } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { taskOrder } from '../../src/renderer/board/board-columns';
import { useReadyReorder } from '../../src/renderer/board/use-ready-reorder';
import { useGraph } from '../../src/renderer/state/graph-context';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/**
 * The Ready column as the board orders it (priority, the one being written first, then age), each card with a
 * "down" button doing what Alt+↓ on it does: move it one place down.
 */
function ReadyColumn() {
  const { tasks, loaded } = useGraph();
  const order = useMemo(() => taskOrder(tasks), [tasks]);
  const ready = useReadyReorder(tasks, order);
  if (!loaded) return null;
  const priority = (id: string) => ready.pending.get(id) ?? tasks.get(id)?.priority_value ?? 0;
  const column = [...tasks.keys()].sort((a, b) => priority(b) - priority(a) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
  return (
    <ol aria-label="Ready">
      {column.map((id, index) => (
        <li key={id}>
          <button type="button" onClick={() => ready.move(column, id, index + 1)}>
            down {id}
          </button>
        </li>
      ))}
    </ol>
  );
}

const IDS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

async function project() {
  const fake = await Workgraph.open();
  await fake.seed(IDS.map((id) => makeTask({ id, title: id.toUpperCase() })));
  return fake;
}

const shownOrder = () =>
  within(screen.getByRole('list', { name: 'Ready' }))
    .getAllByRole('button')
    .map((b) => b.textContent?.slice(5));
const orderToasts = () => screen.queryAllByText('Start order changed', { selector: '.toast strong' });
const priorities = async (fake: Workgraph) => Promise.all(IDS.map(async (id) => (await fake.task(id))?.priority_value));

/** One Alt+↓ on `id`, its write left to finish. */
async function down(fake: Workgraph, id: string) {
  const before = fake.calls.length;
  fireEvent.click(screen.getByRole('button', { name: `down ${id}` }));
  await waitFor(() => expect(fake.calls.length).toBeGreaterThan(before));
  await act(() => new Promise((resolve) => setTimeout(resolve, 30)));
}

describe('moving a Ready card several places in a row', () => {
  it('is told in one Undo notice, whose Undo puts the card back where the moves began', async () => {
    const fake = await project();
    renderWithProject(<ReadyColumn />, fake);
    await screen.findByRole('list', { name: 'Ready' });
    const original = await priorities(fake);
    for (let i = 0; i < 6; i++) await down(fake, 'a');
    await waitFor(() => expect(shownOrder()).toEqual(['b', 'c', 'd', 'e', 'f', 'g', 'a', 'h']));
    await waitFor(() => expect(orderToasts()[0]?.closest('.toast')?.textContent).toContain('“A” now starts before “H”'));
    expect(orderToasts()).toHaveLength(1);
    fireEvent.click(within(orderToasts()[0]?.closest('.toast') as HTMLElement).getByRole('button', { name: 'Undo' }));
    await waitFor(async () => expect(await priorities(fake)).toEqual(original));
    await waitFor(() => expect(shownOrder()).toEqual(IDS));
    expect(orderToasts()).toHaveLength(0);
  });

  it('pressed faster than the writes return, is still one notice undoing them all', async () => {
    const fake = await project();
    renderWithProject(<ReadyColumn />, fake);
    await screen.findByRole('list', { name: 'Ready' });
    const original = await priorities(fake);
    for (let i = 0; i < 3; i++) fireEvent.click(screen.getByRole('button', { name: 'down a' }));
    await waitFor(() => expect(orderToasts()[0]?.closest('.toast')?.textContent).toContain('“A” now starts before “E”'));
    expect(orderToasts()).toHaveLength(1);
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(async () => expect(await priorities(fake)).toEqual(original));
    await waitFor(() => expect(shownOrder()).toEqual(IDS));
  });

  it('then another card: a notice of its own, each undoing its own card', async () => {
    const fake = await project();
    renderWithProject(<ReadyColumn />, fake);
    await screen.findByRole('list', { name: 'Ready' });
    await down(fake, 'a');
    await down(fake, 'a');
    await waitFor(() => expect(shownOrder()).toEqual(['b', 'c', 'a', 'd', 'e', 'f', 'g', 'h']));
    const afterA = await priorities(fake);
    await down(fake, 'g');
    await waitFor(() => expect(shownOrder()).toEqual(['b', 'c', 'a', 'd', 'e', 'f', 'h', 'g']));
    await waitFor(() => expect(orderToasts()).toHaveLength(2));
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    await waitFor(async () => expect(await priorities(fake)).toEqual(afterA));
    expect(orderToasts()).toHaveLength(1);
  });
});
