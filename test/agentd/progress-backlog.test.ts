import { describe, expect, it } from 'vitest';
import { ProgressBacklog } from '../../src/agentd/progress-backlog';
import { daemonFrame, utf8Bytes } from '../../src/shared/agent-protocol';
import type { RunEvent } from '../../src/shared/run-event';

const LEASE = 'a'.repeat(32);
const line = (n: number): RunEvent => ({ type: 'text', text: `line ${String(n).padStart(6, '0')}` });
const texts = (events: readonly RunEvent[]) => events.map((e) => ('text' in e ? e.text : e.type));

describe("a job's output kept while the coordinator is away", () => {
  it('is bounded by its size, not by how many batches it came in: a thousand small batches all go, in few frames', () => {
    const backlog = new ProgressBacklog();
    for (let batch = 0; batch < 1000; batch++) backlog.add([line(batch * 2), line(batch * 2 + 1)]);
    const messages = backlog.take(LEASE);
    // 2000 events coalesced: one frame, not a thousand.
    expect(messages).toHaveLength(1);
    expect(texts(messages[0]?.events ?? [])).toEqual(Array.from({ length: 2000 }, (_, n) => `line ${String(n).padStart(6, '0')}`));
    expect(backlog.empty).toBe(true);
    expect(backlog.take(LEASE)).toEqual([]);
  });

  it('goes in frames the coordinator takes (at most 5000 events each), in order', () => {
    const backlog = new ProgressBacklog();
    for (let n = 0; n < 12_000; n++) backlog.add([line(n)]);
    const messages = backlog.take(LEASE);
    expect(messages.map((m) => m.events.length)).toEqual([5000, 5000, 2000]);
    for (const message of messages) expect(daemonFrame(message).ok).toBe(true);
    expect(texts(messages.flatMap((m) => m.events)).at(-1)).toBe('line 011999');
  });

  it('beyond its bound gives up the oldest, and says where they were how much was lost', () => {
    const size = utf8Bytes(JSON.stringify(line(0)));
    const backlog = new ProgressBacklog(size * 100);
    for (let n = 0; n < 150; n++) backlog.add([line(n)]);
    const events = backlog.take(LEASE).flatMap((m) => m.events);
    expect(events).toHaveLength(101);
    expect(events[0]).toEqual({
      type: 'stderr',
      text: 'agent daemon: 50 earlier output event(s) (2 KB) of this job were lost while the coordinator was unreachable; it keeps the last 4 KB meanwhile',
    });
    expect(texts(events.slice(1))).toEqual(Array.from({ length: 100 }, (_, n) => `line ${String(n + 50).padStart(6, '0')}`));
    // Said once: what is kept after is whole again.
    backlog.add([line(200)]);
    expect(texts(backlog.take(LEASE).flatMap((m) => m.events))).toEqual(['line 000200']);
  });
});
