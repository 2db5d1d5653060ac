// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type GraphShortcutActions, useGraphShortcuts } from '../../src/renderer/graph/use-graph-shortcuts';

afterEach(cleanup);

function Page({ actions }: { actions: GraphShortcutActions }) {
  useGraphShortcuts(true, actions);
  return (
    <div>
      <label>
        <input type="checkbox" /> Hide finished
      </label>
      <input type="radio" aria-label="A choice" />
      <button type="button">Archived</button>
      <input type="text" aria-label="Search tasks" />
      <input type="search" aria-label="Search" />
      <select aria-label="Filter by tag">
        <option value="">all tags</option>
        <option value="billing">billing</option>
      </select>
      <textarea aria-label="Notes" />
    </div>
  );
}

function actions() {
  return {
    newTask: vi.fn<() => void>(),
    search: vi.fn<() => void>(),
    fit: vi.fn<() => void>(),
    work: vi.fn<() => void>(),
    board: vi.fn<() => void>(),
    help: vi.fn<() => void>(),
    focus: vi.fn<() => void>(),
    chat: vi.fn<() => void>(),
  } satisfies GraphShortcutActions;
}

describe('the graph page’s single-key shortcuts', () => {
  it('work with the focus on a checkbox, a radio or a button just clicked (Hide finished ticked): they take no text', () => {
    const keys = actions();
    render(<Page actions={keys} />);
    const checkbox = screen.getByRole('checkbox');
    fireEvent.click(checkbox);
    checkbox.focus();
    fireEvent.keyDown(checkbox, { key: 'w' });
    fireEvent.keyDown(checkbox, { key: 'b' });
    fireEvent.keyDown(checkbox, { key: '/' });
    fireEvent.keyDown(checkbox, { key: 'c' });
    expect(keys.chat).toHaveBeenCalledTimes(1);
    expect(keys.work).toHaveBeenCalledTimes(1);
    expect(keys.board).toHaveBeenCalledTimes(1);
    expect(keys.search).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(screen.getByRole('radio'), { key: 'w' });
    fireEvent.keyDown(screen.getByRole('button', { name: 'Archived' }), { key: 'w' });
    expect(keys.work).toHaveBeenCalledTimes(3);
  });

  it('are text where text is typed, and pick an option in a list', () => {
    const keys = actions();
    render(<Page actions={keys} />);
    for (const box of [
      screen.getByRole('textbox', { name: 'Search tasks' }),
      screen.getByRole('searchbox', { name: 'Search' }),
      screen.getByRole('combobox', { name: 'Filter by tag' }),
      screen.getByRole('textbox', { name: 'Notes' }),
    ]) {
      fireEvent.keyDown(box, { key: 'w' });
      // C opens the chat only off a text box: typed in the chat's own box, it is a letter of the message.
      fireEvent.keyDown(box, { key: 'c' });
    }
    expect(keys.work).not.toHaveBeenCalled();
    expect(keys.chat).not.toHaveBeenCalled();
  });
});
