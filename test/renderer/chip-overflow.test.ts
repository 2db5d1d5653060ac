import { describe, expect, it } from 'vitest';
import { chipsThatFit } from '../../src/renderer/graph/chip-overflow';
import type { StateKind } from '../../src/renderer/task-state/task-state';

const widths = new Map<StateKind, number>([
  ['running', 80],
  ['evaluating', 100],
  ['ready', 80],
  ['waiting', 90],
  ['needs-you', 100],
  ['scheduled', 100],
  ['paused', 80],
  ['failed', 70],
  ['blocked', 90],
  ['done', 70],
  ['abandoned', 100],
]);
const all = 960 + 3 * 10;

describe('which state chips stay in the row', () => {
  it('all of them where they fit', () => {
    expect(chipsThatFit(widths, all, 3, 40, new Set()).size).toBe(11);
  });

  it('where they do not, what needs a person or went wrong first, finished work last, with room for "+N"', () => {
    const shown = chipsThatFit(widths, all - 1, 3, 40, new Set());
    expect([...shown]).toEqual([
      'needs-you',
      'failed',
      'running',
      'blocked',
      'evaluating',
      'ready',
      'scheduled',
      'paused',
      'waiting',
      'done',
    ]);
    const narrow = chipsThatFit(widths, 40 + 103 + 73 + 83, 3, 40, new Set());
    expect([...narrow]).toEqual(['needs-you', 'failed', 'running']);
  });

  it('a pressed chip stays, whatever the room', () => {
    expect([...chipsThatFit(widths, 40, 3, 40, new Set(['done']))]).toEqual(['done']);
    const shown = chipsThatFit(widths, 40 + 73 + 103, 3, 40, new Set(['done']));
    expect([...shown]).toEqual(['done', 'needs-you']);
  });
});
