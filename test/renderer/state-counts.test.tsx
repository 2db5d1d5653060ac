// @vitest-environment happy-dom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { StateCounts } from '../../src/renderer/graph/StateCounts';
import { STATE_KINDS, type StateKind } from '../../src/renderer/task-state/task-state';

afterEach(cleanup);

describe('the state chips', () => {
  it('write their counts as the board’s columns do (“1,002 blocked”, not “1002 blocked”)', () => {
    const counts = Object.fromEntries(STATE_KINDS.map((kind) => [kind, 0])) as Record<StateKind, number>;
    counts.blocked = 1002;
    counts.ready = 12_345;
    counts.failed = 3;
    render(<StateCounts counts={counts} pressed={new Set()} onFrame={() => undefined} />);
    // The columns' own formatting (BoardColumn: `count.toLocaleString()`), which groups thousands here.
    expect((1002).toLocaleString()).not.toBe('1002');
    const chip = (kind: StateKind) =>
      within(screen.getByRole('group', { name: 'Show tasks by state' })).getByTitle(`Show the ${kind} tasks`);
    expect(chip('blocked').textContent).toBe(`${(1002).toLocaleString()} blocked`);
    expect(chip('ready').textContent).toBe(`${(12_345).toLocaleString()} ready`);
    expect(chip('failed').textContent).toBe('3 failed');
  });
});
