import { afterEach, describe, expect, it, vi } from 'vitest';
import { PID_FLUSH_MS, TurnInbox } from '../../src/core/coordinator/turn-inbox';

afterEach(() => vi.useRealTimers());

const exit = (agentId: string) => ({ agentId, code: 0, signal: null, stderrTail: '' });

describe('the turn inbox', () => {
  it('wakes at once for an ended run, a moment later for a pid, and hands each over once', () => {
    vi.useFakeTimers();
    const wake = vi.fn();
    const inbox = new TurnInbox(wake);
    inbox.started('agent-1', 101);
    expect(wake).not.toHaveBeenCalled();
    vi.advanceTimersByTime(PID_FLUSH_MS - 1);
    expect(wake).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(wake).toHaveBeenCalledTimes(1);
    inbox.exited(exit('agent-2'));
    expect(wake).toHaveBeenCalledTimes(2);
    expect(inbox.take()).toEqual({ pids: [['agent-1', 101]], exits: [exit('agent-2')] });
    expect(inbox.take()).toEqual({ pids: [], exits: [] });
  });

  it('keeps what a turn that did not commit gives back, before what came since, and wakes again later', () => {
    vi.useFakeTimers();
    const wake = vi.fn();
    const inbox = new TurnInbox(wake);
    inbox.exited(exit('agent-1'));
    inbox.started('agent-2', 202);
    const work = inbox.take();
    inbox.exited(exit('agent-3'));
    inbox.started('agent-2', 999); // a newer word on the same run wins
    wake.mockClear();
    inbox.giveBack(work);
    vi.advanceTimersByTime(1000);
    expect(wake).toHaveBeenCalled();
    expect(inbox.take()).toEqual({ pids: [['agent-2', 999]], exits: [exit('agent-1'), exit('agent-3')] });
  });

  it('does not give back the end of a run whose judging went on by itself in the undone turn', () => {
    const inbox = new TurnInbox(vi.fn());
    inbox.exited(exit('agent-1'));
    inbox.exited(exit('agent-2'));
    inbox.started('agent-3', 303);
    const work = inbox.take();
    inbox.giveBack(work, { apart: ['agent-1'] });
    expect(inbox.take()).toEqual({ pids: [['agent-3', 303]], exits: [exit('agent-2')] });
  });
});
