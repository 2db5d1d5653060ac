// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventPage } from '../../src/shared/run-event';
import { EventWindow } from '../../src/renderer/output/event-window';

function source(total: () => number, at: (i: number) => RunEvent = (i) => ({ type: 'text', text: `line ${i}` })) {
  const requests: Array<{ offset: number; limit: number }> = [];
  const fetch = async (offset: number, limit: number): Promise<RunEventPage> => {
    requests.push({ offset, limit });
    const end = Math.min(total(), offset + limit);
    const events = [];
    for (let i = offset; i < end; i++) events.push({ seq: i, at: '', event: at(i) });
    return { agent_id: 'a', total: total(), offset, events };
  };
  return { fetch, requests };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('EventWindow', () => {
  it('loads only the pages on screen and keeps a bounded number in memory', async () => {
    const { fetch, requests } = source(() => 1_000_000);
    const window = new EventWindow(fetch, { pageSize: 100, maxPages: 4 });
    await window.start();
    expect(window.total).toBe(1_000_000);
    for (const first of [500_000, 10_000, 999_950, 42, 777_700, 123_456]) {
      window.ensure(first, first + 30);
      await settle();
      expect(window.get(first)?.event).toEqual({ type: 'text', text: `line ${first}` });
      expect(window.pagesInMemory()).toBeLessThanOrEqual(4);
    }
    expect(requests.every((r) => r.limit === 100)).toBe(true);
    expect(requests.length).toBeLessThan(15);
  });

  it('refetches the partial last page when the run grows', async () => {
    let total = 150;
    const { fetch } = source(() => total);
    const window = new EventWindow(fetch, { pageSize: 100 });
    await window.start();
    window.ensure(100, 149);
    await settle();
    expect(window.get(160)).toBeUndefined();
    total = 170;
    window.setTotal(170);
    window.ensure(140, 169);
    await settle();
    expect(window.get(165)?.seq).toBe(165);
  });

  it('pairs tool calls and their results within memory', async () => {
    const events: RunEvent[] = [
      { type: 'tool_use', id: 'tu1', name: 'Bash', input: { command: 'ls' } },
      { type: 'tool_result', tool_use_id: 'tu1', output: 'a.txt', is_error: false },
    ];
    const { fetch } = source(
      () => 2,
      (i) => events[i] ?? { type: 'raw', text: '' },
    );
    const window = new EventWindow(fetch);
    await window.start();
    expect(window.resultFor('tu1')?.output).toBe('a.txt');
    expect(window.callFor('tu1')?.name).toBe('Bash');
  });
});
