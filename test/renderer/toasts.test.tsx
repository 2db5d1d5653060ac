// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useEffect } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToastProvider, useToasts } from '../../src/renderer/notifications/toasts';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Pushes one Undo notice when mounted, counting its undos. */
function Remover({ undone }: { undone: { count: number } }) {
  const { pushUndo } = useToasts();
  useEffect(() => {
    pushUndo('“Ship” no longer waits for “Build”', () => {
      undone.count++;
    });
  }, [pushUndo, undone]);
  return <input aria-label="Search" />;
}

function mount() {
  const undone = { count: 0 };
  render(
    <ToastProvider>
      <Remover undone={undone} />
    </ToastProvider>,
  );
  return undone;
}

describe('an Undo notice', () => {
  it('stays while the pointer is over it or the focus in it (reached by Tab, it had gone), and goes its whole time after', () => {
    vi.useFakeTimers();
    mount();
    const toast = screen.getByRole('status');
    fireEvent.mouseEnter(toast);
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.queryByRole('status')).not.toBeNull();
    fireEvent.mouseLeave(toast);
    const undo = screen.getByRole('button', { name: 'Undo' });
    fireEvent.focus(undo);
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.queryByRole('status')).not.toBeNull();
    fireEvent.blur(undo, { relatedTarget: null });
    act(() => vi.advanceTimersByTime(11_000));
    expect(screen.queryByRole('status')).not.toBeNull();
    act(() => vi.advanceTimersByTime(2_000));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it("is undone by Ctrl+Z outside a text field, once; in a text field Ctrl+Z is the field's", () => {
    const undone = mount();
    fireEvent.keyDown(screen.getByLabelText('Search'), { key: 'z', ctrlKey: true });
    expect(undone.count).toBe(0);
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(undone.count).toBe(1);
    expect(screen.queryByRole('status')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
    expect(undone.count).toBe(1);
  });
});
