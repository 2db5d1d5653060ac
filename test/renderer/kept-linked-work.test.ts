import { describe, expect, it } from 'vitest';
import { keptInWork, type WorkTarget } from '../../src/renderer/graph/view/work-set';
import { makeTask } from './support/fixtures';

/** Issue 75 item 3: what a person just linked stays in the work (and the first view's lens) until they move on. */
describe('keptInWork', () => {
  const tasks = new Map(['ask', 'review', 'next', 'gone-soon'].map((id) => [id, makeTask({ id })]));
  const work: WorkTarget = { ids: ['ask', 'next'], about: 'the work', of: 'work', mostUrgent: 1, acting: 1 };

  it('puts a linked task the work left out after what a person acts on, before the ready ones', () => {
    expect(keptInWork(work, ['ask', 'review'], tasks)).toEqual({ ...work, ids: ['ask', 'review', 'next'], acting: 2 });
  });

  it('keeps it when nothing else is left in the work, and leaves what is there as it is', () => {
    expect(keptInWork(null, ['review'], tasks)).toEqual({ ids: ['review'], about: 'the work', of: 'work', mostUrgent: 1 });
    expect(keptInWork(work, ['ask'], tasks)).toBe(work);
    expect(keptInWork(work, [], tasks)).toBe(work);
  });

  it('keeps no task gone from the graph or left out by the person’s filter, and touches no chip’s tasks', () => {
    expect(keptInWork(work, ['missing'], tasks)).toBe(work);
    expect(keptInWork(work, ['review'], tasks, new Set(['ask', 'next']))).toBe(work);
    const chip: WorkTarget = { ids: ['ask'], about: 'needs you tasks', of: 'needs-you', mostUrgent: 1 };
    expect(keptInWork(chip, ['review'], tasks)).toBe(chip);
  });
});
