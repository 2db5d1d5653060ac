import { describe, expect, it } from 'vitest';
import { clusterLabel, wrapParts } from '../../src/renderer/graph/view/cluster-label';

/** 7 px a character, like a 12 px sans-serif on average. */
const measure = (text: string) => text.length * 7;
const parts = ['2 running', '1 ready', '12 waiting', '1 need you', '1 scheduled', '1 paused', '1 failed', '6 done', '1 abandoned'];

describe('a cluster label', () => {
  it('wraps the counts onto lines that fit, never splitting or dropping one', () => {
    const lines = wrapParts(parts, 200, measure);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(measure(line)).toBeLessThanOrEqual(200);
    expect(lines.join(' · ').split(' · ')).toEqual(parts);
    expect(lines.join('')).not.toContain('…');
  });

  it('gives a count wider than the box a line of its own rather than cutting it', () => {
    expect(wrapParts(['1234567 waiting', '1 done'], 50, measure)).toEqual(['1234567 waiting', '1 done']);
  });

  it('writes every count, or in a box too low for all, the most urgent that fit and how many tasks the rest hold', () => {
    const heights = { name: 17.5, detail: 15 };
    const tall = clusterLabel('backend (10)', parts, { width: 200, height: 200 }, heights, { name: measure, detail: measure });
    expect(tall.name).toEqual(['backend (10)']);
    expect(tall.detail.join(' · ').split(' · ')).toEqual(parts);
    const low = clusterLabel('backend (10)', parts, { width: 200, height: 40 }, heights, { name: measure, detail: measure });
    expect(low.name).toEqual(['backend (10)']);
    expect(low.detail).toHaveLength(1);
    const shown = (low.detail[0] ?? '').split(' · ');
    const more = shown.pop() ?? '';
    expect(shown).toEqual(parts.slice(0, shown.length));
    // "+N more": N the tasks in the states left out, so the label still adds up to the cluster's 26.
    const count = (part: string) => Number.parseInt(part.replace('+', ''), 10);
    expect(more).toBe(`+${parts.slice(shown.length).reduce((sum, part) => sum + count(part), 0)} more`);
    expect([...shown, more].reduce((sum, part) => sum + count(part), 0)).toBe(26);
    const tiny = clusterLabel('backend (10)', parts, { width: 200, height: 20 }, heights, { name: measure, detail: measure });
    expect(tiny).toEqual({ name: ['backend (10)'], detail: [] });
  });

  it("writes a stage's short name where its whole name leaves no room for the counts that need a look", () => {
    const heights = { name: 17.5, detail: 15 };
    // 90 px wide: "Stage 10 · area-8 (419)" takes three lines, "Stage 10" one.
    const label = clusterLabel('Stage 10 · area-8 (419)', ['12 failed', '8 running', '399 blocked'], { width: 90, height: 55 }, heights, {
      name: measure,
      detail: measure,
    });
    expect(label.name).toEqual(['Stage 10']);
    expect(label.detail[0]).toBe('12 failed');
    expect(label.detail.join(' · ')).toContain('more');
  });
});
