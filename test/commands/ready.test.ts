import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { countdown } from '../../src/cli/ready-format';
import type { ReadyItem } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg ready` against upstream's own cases (graphwork/workgraph src/commands/ready.rs `mod tests`) no other file
 * names whole, each named in its `it`; the rest are in test/store/ready-delayed.test.ts and
 * test/commands/insight.test.ts. Upstream's format_countdown cases read the countdown `wg ready` prints after
 * "Waiting on delay:", from the real clock as upstream's do (so a second may pass: the prefix is what is checked).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-ready-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const fromNow = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** The countdown `wg ready` prints for each task waiting on its delay, by id. */
async function countdowns(delays: Record<string, number>): Promise<Record<string, string>> {
  await p.importTasks(Object.entries(delays).map(([id, seconds]) => ({ id, title: `T ${id}`, ready_after: fromNow(seconds) })));
  const text = await p.ok(['ready']);
  const waiting = text.slice(text.indexOf('Waiting on delay:'));
  const found: Record<string, string> = {};
  for (const match of waiting.matchAll(/^ {2}(\S+) - T \S+ (.*)$/gm)) found[match[1] as string] = match[2] as string;
  return found;
}

describe('wg ready (upstream ready.rs)', () => {
  it('test_format_countdown_minutes / test_format_countdown_hours / test_format_countdown_days', async () => {
    const shown = await countdowns({ minutes: 5 * 60 + 30, hours: 2 * 3600 + 15 * 60, days: 3 * 86_400 + 6 * 3600 });
    expect(shown.minutes).toMatch(/^\(ready in 5m \d+s\)$/);
    expect(shown.minutes).not.toContain('h ');
    expect(shown.hours).toMatch(/^\(ready in 2h \d+m\)$/);
    expect(shown.days).toMatch(/^\(ready in 3d \d+h\)$/);
  });

  it('test_format_countdown_boundary_60_seconds / test_format_countdown_boundary_3600_seconds / test_format_countdown_boundary_86400_seconds', async () => {
    // Twenty seconds past each boundary: on a loaded machine (the suite beside it) the import and `wg ready` took over five.
    const shown = await countdowns({ minute: 80, hour: 3620, day: 86_420 });
    expect(shown.minute).toMatch(/^\(ready in 1m/);
    expect(shown.hour).toMatch(/^\(ready in 1h/);
    expect(shown.day).toMatch(/^\(ready in 1d/);
  });

  it('test_format_countdown_accuracy_minutes / test_format_countdown_accuracy_hours / test_format_countdown_accuracy_days', async () => {
    // Upstream's second of slack is 30 here: the command's own time must not take the countdown below 3h 45m.
    const shown = await countdowns({ m: 7 * 60 + 30 + 1, h: 3 * 3600 + 45 * 60 + 30, d: 2 * 86_400 + 12 * 3600 + 30 });
    expect(shown.m).toMatch(/^\(ready in 7m \d+s\)$/);
    expect(shown.h).toBe('(ready in 3h 45m)');
    expect(shown.d).toBe('(ready in 2d 12h)');
  });

  it('test_format_countdown_exactly_at_now / test_format_countdown_empty_string: no countdown; the task is ready', async () => {
    const nowMs = Date.parse('2026-03-01T12:00:00Z');
    expect(countdown({ extra: { ready_after: new Date(nowMs - 100).toISOString() } }, nowMs)).toBe('(elapsed)');
    expect(countdown({ extra: { ready_after: '' } }, nowMs)).toBe('');
    await p.importTasks([
      { id: 'just-now', ready_after: new Date(Date.now() - 100).toISOString() },
      { id: 'empty', ready_after: '' },
    ]);
    expect((await p.json<ReadyItem[]>(['ready'])).map((t) => [t.id, t.ready])).toEqual([
      ['just-now', true],
      ['empty', true],
    ]);
    expect(await p.ok(['ready'])).not.toContain('Waiting on delay:');
  });

  it('test_run_json_structure_waiting_task: "ready": false, with ready_after as given', async () => {
    const later = fromNow(3600);
    await p.importTasks([{ id: 't1', title: 'JSON wait test', ready_after: later }]);
    expect(await p.json<Array<Record<string, unknown>>>(['ready'])).toMatchObject([
      { id: 't1', title: 'JSON wait test', assigned: null, ready: false, ready_after: later },
    ]);
  });
});
