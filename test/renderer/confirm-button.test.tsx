// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmButton } from '../../src/renderer/components/ConfirmButton';
import { AgentDaemonsPage } from '../../src/renderer/pages/AgentDaemonsPage';
import { renderWithProject } from './support/render';
import { Workgraph } from './support/workgraph';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

/** Enter on a focused button, as a browser does it: a click on that button. */
const pressEnter = () => {
  const focused = document.activeElement as HTMLElement;
  fireEvent.keyDown(focused, { key: 'Enter' });
  fireEvent.click(focused);
};

describe('ConfirmButton (a destructive action asked first)', () => {
  it('puts the focus on No, so Enter twice does not remove', () => {
    const onConfirm = vi.fn();
    render(<ConfirmButton label="Remove" question="Remove Careful Programmer?" onConfirm={onConfirm} />);
    screen.getByRole('button', { name: 'Remove' }).focus();
    pressEnter();
    expect(screen.getByRole('group', { name: 'Remove Careful Programmer?' })).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('No');
    pressEnter();
    expect(onConfirm).not.toHaveBeenCalled();
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove' }));
  });

  it('Escape cancels and gives the focus back to the button that asked', () => {
    const onConfirm = vi.fn();
    render(<ConfirmButton label="Remove" question="Remove it?" onConfirm={onConfirm} />);
    screen.getByRole('button', { name: 'Remove' }).focus();
    pressEnter();
    const notHandled = fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    // Handled here: an inspector or dialog around it stays open.
    expect(notHandled).toBe(false);
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove' }));
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('after its time runs out the question goes and the focus goes back to the button, not to the page', () => {
    vi.useFakeTimers();
    render(<ConfirmButton label="Remove" question="Remove it?" onConfirm={() => undefined} />);
    screen.getByRole('button', { name: 'Remove' }).focus();
    pressEnter();
    act(() => vi.advanceTimersByTime(7000));
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove' }));
  });

  it('Yes, chosen on purpose, does it', () => {
    const onConfirm = vi.fn();
    render(<ConfirmButton label="Remove" question="Remove it?" onConfirm={onConfirm} />);
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes' }));
    expect(onConfirm).toHaveBeenCalledOnce();
  });
});

describe('revoking a token', () => {
  it('asks with the focus on Cancel; Escape cancels and returns the focus to Revoke', async () => {
    const fake = await Workgraph.open();
    await fake.call('token:create', { name: 'laptop' });
    renderWithProject(<AgentDaemonsPage />, fake, 'daemons');
    const row = (await screen.findByText('laptop', { selector: 'td' })).closest('tr') as HTMLElement;
    within(row).getByRole('button', { name: 'Revoke' }).focus();
    pressEnter();
    expect(within(row).getByRole('group', { name: 'Revoke and disconnect its daemons?' })).toBeTruthy();
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'Escape' });
    expect(within(row).queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Revoke' }));
    expect((await fake.call('token:list', {}))[0]?.revoked_at).toBeNull();
  });
});
