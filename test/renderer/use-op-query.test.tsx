// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/renderer/api/backend';
import { BackendProvider } from '../../src/renderer/api/backend-context';
import { useOpQuery } from '../../src/renderer/hooks/use-op-query';
import type { WgClient } from '../../src/shared/client';

/** A backend whose events never fire: the hook under test is given its load directly. */
const backend: Backend = {
  client: {} as WgClient,
  events: { onChange: () => () => {}, onOutput: () => () => {}, watchOutput: () => () => {} },
  label: 'test',
};
const wrapper = ({ children }: { children: ReactNode }) => <BackendProvider backend={backend}>{children}</BackendProvider>;

/** A load the test finishes by hand, counting how many were started and how many ran at once. */
function handLoad() {
  const pending: Array<() => void> = [];
  const state = { started: 0, running: 0, most: 0 };
  const load = () => {
    state.started += 1;
    state.running += 1;
    state.most = Math.max(state.most, state.running);
    const n = state.started;
    return new Promise<number>((resolve) =>
      pending.push(() => {
        state.running -= 1;
        resolve(n);
      }),
    );
  };
  const finishNext = async () => {
    await waitFor(() => expect(pending.length).toBeGreaterThan(0));
    await act(async () => pending.shift()?.());
  };
  return { load, state, finishNext };
}

describe('useOpQuery', () => {
  afterEach(cleanup);

  // Found when a window left on Worktrees on a loaded machine started a worktree:list every 10 s while each took
  // longer: they piled up until the coordinator served nothing else.
  it('runs one load at a time: reloads asked for meanwhile run once after it, and their callers get that one', async () => {
    const hand = handLoad();
    const { result } = renderHook(() => useOpQuery(hand.load), { wrapper });
    expect(hand.state.started).toBe(1);
    let settled = 0;
    const asked = [result.current.reload(), result.current.reload(), result.current.reload()].map((p) =>
      p.then(() => {
        settled += 1;
      }),
    );
    expect(hand.state.started).toBe(1);
    await hand.finishNext();
    // The first is done; the three asked for meanwhile are one load, which their callers still wait for.
    await waitFor(() => expect(hand.state.started).toBe(2));
    expect(settled).toBe(0);
    await hand.finishNext();
    await Promise.all(asked);
    expect(settled).toBe(3);
    expect(hand.state.most).toBe(1);
    expect(hand.state.started).toBe(2);
    expect(result.current.data).toBe(2);
  });

  it('a reload with nothing out starts at once and gives its result', async () => {
    const hand = handLoad();
    const { result } = renderHook(() => useOpQuery(hand.load), { wrapper });
    await hand.finishNext();
    await waitFor(() => expect(result.current.data).toBe(1));
    const again = result.current.reload();
    expect(hand.state.started).toBe(2);
    await hand.finishNext();
    await again;
    expect(result.current.data).toBe(2);
  });
});
