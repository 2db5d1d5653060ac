import { describe, expect, it } from 'vitest';
import { describeCycle, findCycle } from '../../src/core/graph/cycle';
import { isReady } from '../../src/core/graph/readiness';
import type { TaskStatus } from '../../src/shared/task';
import { nextDue, shortestInterval, toCronPattern, upstreamCron } from '../../src/core/graph/schedule';
import { slugify, uniqueId } from '../../src/core/graph/slug';

describe('slug', () => {
  it('makes ids from titles', () => {
    expect(slugify('Design the Schema!')).toBe('design-the-schema');
    expect(slugify('  Café  déjà vu ')).toBe('cafe-deja-vu');
    expect(slugify('***')).toBe('task');
    expect(slugify('x'.repeat(100))).toHaveLength(60);
  });
  it('suffixes taken ids', () => {
    const taken = new Set(['a', 'a-2']);
    expect(uniqueId('a', (id) => taken.has(id))).toBe('a-3');
    expect(uniqueId('b', (id) => taken.has(id))).toBe('b');
  });
});

describe('cycle detection', () => {
  const graph: Record<string, string[]> = { c: ['b'], b: ['a'], a: [], d: ['c'] };
  const depsOf = (id: string) => graph[id] ?? [];
  it('finds the path a new dependency would close', () => {
    // a depending on d: d -> c -> b -> a already, so a -> d -> c -> b -> a.
    expect(findCycle('a', 'd', depsOf)).toEqual(['a', 'd', 'c', 'b', 'a']);
    expect(describeCycle(['a', 'b', 'a'])).toBe('dependency would create a cycle: a -> b -> a');
  });
  it('refuses self-dependency and accepts acyclic links', () => {
    expect(findCycle('a', 'a', depsOf)).toEqual(['a', 'a']);
    expect(findCycle('d', 'a', depsOf)).toBeNull();
  });
});

describe('readiness', () => {
  const now = new Date('2026-01-01T10:00:00Z');
  const open = { id: 'task', status: 'open' as const, paused: false, not_before: null };
  const deps = (...statuses: TaskStatus[]) =>
    statuses.map((status, i) => ({ id: `d${i}`, status, evaluationPending: false, workToMerge: false }));
  it("holds every dependent of a done task whose agent's work is still to merge, and only while it is done", () => {
    const merging = (status: TaskStatus) => ({ id: 'x', status, evaluationPending: false, workToMerge: true });
    expect(isReady(open, [merging('done')], now)).toBe(false);
    expect(isReady({ ...open, id: '.evaluate-x' }, [merging('done')], now)).toBe(false);
    expect(isReady(open, [merging('abandoned')], now)).toBe(true);
  });
  it('needs every dependency done or abandoned', () => {
    expect(isReady(open, [], now)).toBe(true);
    expect(isReady(open, deps('done', 'abandoned'), now)).toBe(true);
    expect(isReady(open, deps('done', 'failed'), now)).toBe(false);
    expect(isReady(open, deps('in-progress'), now)).toBe(false);
  });
  it('excludes paused, not-open and not-yet-due tasks', () => {
    expect(isReady({ ...open, paused: true }, [], now)).toBe(false);
    expect(isReady({ ...open, status: 'in-progress' }, [], now)).toBe(false);
    expect(isReady({ ...open, not_before: '2026-01-01T10:00:01Z' }, [], now)).toBe(false);
    expect(isReady({ ...open, not_before: '2026-01-01T09:59:59Z' }, [], now)).toBe(true);
  });
});

describe('schedules', () => {
  it('writes "09:00" (local time) into upstream\'s cron, which upstream reads in UTC, as its next run\'s time in UTC', () => {
    // New York in summer (UTC-4) and in winter (UTC-5): 09:00 there is 13:00 and 14:00 UTC.
    expect(upstreamCron('09:00', '2026-07-01T13:00:00.000Z')).toBe('0 13 * * *');
    expect(upstreamCron('09:00', '2026-12-01T14:00:00.000Z')).toBe('0 14 * * *');
    expect(upstreamCron('30 2 * * 1', '2026-12-07T02:30:00.000Z')).toBe('30 2 * * 1');
    const timezone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const next = new Date(nextDue('09:00', new Date()));
      expect(upstreamCron('09:00', null)).toBe(`0 ${next.getUTCHours()} * * *`);
      expect([13, 14]).toContain(next.getUTCHours());
    } finally {
      if (timezone === undefined) delete process.env.TZ;
      else process.env.TZ = timezone;
    }
  });

  it('reads "09:00" as daily and accepts cron', () => {
    expect(toCronPattern('09:00')).toBe('0 9 * * *');
    const from = new Date(2026, 0, 1, 10, 0, 0);
    expect(nextDue('09:00', from)).toEqual(new Date(2026, 0, 2, 9, 0, 0));
    expect(nextDue('*/15 * * * *', from)).toEqual(new Date(2026, 0, 1, 10, 15, 0));
  });
  it('rejects nonsense', () => {
    expect(() => nextDue('every tuesday', new Date())).toThrow(/is not a time of day/);
  });
  it("finds the shortest gap between fires, wherever in the schedule it lies (a run's follow-ups are held to a floor)", () => {
    const from = new Date('2026-03-10T10:30:00Z');
    expect(shortestInterval('*/5 * * * * *', from)).toBe(5_000);
    // Two minutes apart once an hour; every minute of one hour a day; every 5 s on one day a year.
    expect(shortestInterval('0,1 * * * *', from)).toBe(60_000);
    expect(shortestInterval('* 3 * * *', from)).toBe(60_000);
    expect(shortestInterval('*/5 * * 1 1 *', from)).toBe(5_000);
    expect(shortestInterval('0 * * * *', from)).toBe(3_600_000);
    expect(shortestInterval('09:00', from)).toBeGreaterThanOrEqual(23 * 3_600_000);
    expect(shortestInterval('2026-12-01T09:00', from)).toBeNull();
  });
  it('test_calculate_next_fire (upstream cron.rs): a cron expression is read in UTC, whatever the local zone', () => {
    const zone = process.env.TZ;
    // Node reads TZ again when it is set.
    process.env.TZ = 'America/New_York';
    try {
      expect(nextDue('0 0 2 * * *', new Date('2024-01-01T01:00:00Z'))).toEqual(new Date('2024-01-01T02:00:00Z'));
      expect(nextDue('0 0 2 * * *', new Date('2024-01-01T03:00:00Z'))).toEqual(new Date('2024-01-02T02:00:00Z'));
      expect(nextDue('0 2 * * *', new Date('2024-01-01T03:00:00Z'))).toEqual(new Date('2024-01-02T02:00:00Z'));
      // "09:00" stays the local time of day.
      expect(nextDue('09:00', new Date('2024-01-01T03:00:00Z'))).toEqual(new Date('2024-01-01T14:00:00Z'));
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
});
