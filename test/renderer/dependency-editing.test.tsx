// @vitest-environment happy-dom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useDependencyEditing } from '../../src/renderer/graph/use-dependency-editing';
import { makeTask } from './support/fixtures';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(cleanup);

/** What GraphCanvas does with React Flow's onConnect/onEdgesDelete, driven by buttons. */
function Harness({ source, target }: { source: string; target: string }) {
  const editing = useDependencyEditing();
  return (
    <div>
      <button type="button" onClick={() => void editing.link({ source, target })}>
        connect
      </button>
      <button type="button" onClick={() => void editing.unlink([{ source, target }])}>
        delete edge
      </button>
    </div>
  );
}

async function chain() {
  const fake = await Workgraph.open();
  await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] }), makeTask({ id: 'c' })]);
  return fake;
}

describe('dependency editing', () => {
  it('dragging from A to C calls task:addDep with C depending on A', async () => {
    const fake = await chain();
    renderWithProject(<Harness source="a" target="c" />, fake);
    fireEvent.click(screen.getByText('connect'));
    await waitFor(async () => expect((await fake.task('c'))?.after).toEqual(['a']));
    expect(fake.calls.find((call) => call.name === 'task:addDep')?.input).toEqual({ task: 'c', dependency: 'a' });
    expect(screen.queryByText(/^Not added/)).toBeNull();
  });

  it('shows the cycle refusal in a notice (dependency-notices.test.tsx has its words)', async () => {
    const fake = await chain();
    renderWithProject(<Harness source="b" target="a" />, fake);
    fireEvent.click(screen.getByText('connect'));
    const notice = await screen.findByRole('status');
    expect(notice.textContent).toMatch(/^Not added: /);
    expect((await fake.task('a'))?.after).toEqual([]);
    fireEvent.click(screen.getByLabelText('Close notification'));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('deleting an edge calls task:rmDep', async () => {
    const fake = await chain();
    renderWithProject(<Harness source="a" target="b" />, fake);
    fireEvent.click(screen.getByText('delete edge'));
    await waitFor(async () => expect((await fake.task('b'))?.after).toEqual([]));
    expect(fake.calls.find((call) => call.name === 'task:rmDep')?.input).toEqual({ task: 'b', dependency: 'a' });
  });
});
