import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import { jsonView } from '../../src/cli/json-view';
import { countdown, readyText, upstreamDuration } from '../../src/cli/ready-format';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', async (kind) => {
  /*
   * `wg ready` lists, after the ready tasks, those held back only by a future `ready_after`, with
   * `"ready": false` (upstream src/commands/ready.rs; each `it` names the upstream tests it ports).
   */

  const NOW = new Date('2026-03-01T12:00:00Z');
  let temp = await tempStore(NOW, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(NOW, kind);
  });
  const ctx = (): OpContext => ({ store: temp.store, paths: { dir: temp.dir } as ProjectPaths, actor: 'user' });
  const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

  async function load(rows: Record<string, unknown>[]): Promise<void> {
    await dispatch(
      'graph:import',
      { jsonl: rows.map((r) => JSON.stringify({ kind: 'task', title: String(r.id), ...r })).join('\n') },
      ctx(),
    );
  }

  describe('wg ready with ready_after (upstream ready.rs)', () => {
    it('test_run_ready_task_no_ready_after and test_run_task_with_past_ready_after_is_ready', async () => {
      await load([
        { id: 'plain', status: 'open' },
        { id: 'past', status: 'open', ready_after: at(-60) },
      ]);
      const items = await dispatch('task:ready', {}, ctx());
      expect(items.map((t) => [t.id, t.ready])).toEqual([
        ['plain', true],
        ['past', true],
      ]);
    });

    it('test_run_task_with_future_ready_after_is_waiting and test_run_mixed_ready_and_waiting: after the ready ones, not ready', async () => {
      await load([
        { id: 'now', status: 'open' },
        { id: 'later', status: 'open', ready_after: at(300) },
        { id: 'again', status: 'incomplete', ready_after: at(30) },
      ]);
      const items = await dispatch('task:ready', {}, ctx());
      expect(items.map((t) => [t.id, t.ready])).toEqual([
        ['now', true],
        ['later', false],
        ['again', false],
      ]);
    });

    it('only when ready_after is all that holds it back: an unfinished dependency keeps it out (a failed or missing one does not)', async () => {
      await load([
        { id: 'dep', status: 'open' },
        { id: 'broke', status: 'failed' },
        { id: 'held', status: 'open', after: ['dep'], ready_after: at(60) },
        { id: 'free', status: 'open', after: ['broke'], ready_after: at(60) },
        { id: 'done-task', status: 'done', ready_after: at(60) },
      ]);
      const items = await dispatch('task:ready', {}, ctx());
      expect(items.filter((t) => !t.ready).map((t) => t.id)).toEqual(['free']);
    });

    it('test_run_json_output_waiting_task: "ready": false and ready_after at the top level; ready ones "ready": true', async () => {
      await load([
        { id: 'now', status: 'open' },
        { id: 'later', status: 'open', ready_after: at(300) },
      ]);
      const view = jsonView('task:ready', await dispatch('task:ready', {}, ctx())) as Record<string, unknown>[];
      expect(view.map((t) => [t.id, t.ready])).toEqual([
        ['now', true],
        ['later', false],
      ]);
      expect(view[1]?.ready_after).toBe(at(300));
    });

    it('says "Waiting on delay:" with a countdown after the ready table', async () => {
      await load([
        { id: 'now', status: 'open' },
        { id: 'later', title: 'Later', status: 'open', ready_after: at(450) },
      ]);
      const text = readyText(await dispatch('task:ready', {}, ctx()), (tasks) => tasks.map((t) => t.id).join(','), NOW.getTime());
      expect(text).toBe('now\n\nWaiting on delay:\n  later - Later (ready in 7m 30s)');
    });
  });

  describe("upstream's countdown (ready.rs format_countdown tests)", () => {
    const extra = (seconds: number) => ({ extra: { ready_after: at(seconds) } });
    const nowMs = NOW.getTime();
    it('test_format_countdown_seconds / _minutes / _hours / _days and the boundaries', () => {
      expect(countdown(extra(45), nowMs)).toBe('(ready in 45s)');
      expect(countdown(extra(5 * 60 + 3), nowMs)).toBe('(ready in 5m 3s)');
      expect(countdown(extra(61), nowMs)).toMatch(/^\(ready in 1m/);
      expect(countdown(extra(3601), nowMs)).toMatch(/^\(ready in 1h/);
      expect(countdown(extra(3 * 3600 + 45 * 60), nowMs)).toBe('(ready in 3h 45m)');
      expect(countdown(extra(86_401), nowMs)).toMatch(/^\(ready in 1d/);
      expect(countdown(extra(2 * 86_400 + 12 * 3600), nowMs)).toBe('(ready in 2d 12h)');
      expect(upstreamDuration(120)).toBe('2m');
    });

    it('test_format_countdown_elapsed / _exactly_at_now / _invalid_timestamp / _empty_string', () => {
      expect(countdown(extra(-5), nowMs)).toBe('(elapsed)');
      expect(countdown(extra(0), nowMs)).toBe('(elapsed)');
      expect(countdown({ extra: { ready_after: 'not a time' } }, nowMs)).toBe('');
      expect(countdown({ extra: { ready_after: '' } }, nowMs)).toBe('');
    });
  });
});
