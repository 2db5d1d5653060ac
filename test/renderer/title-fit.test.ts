import { describe, expect, it } from 'vitest';
import { fitTitle, wrapWords } from '../../src/renderer/graph/view/title-fit';

/** 6 px a character at 10 px, in proportion at other sizes: a stand-in for the canvas's measure. */
const measure = (size: number, text: string) => text.length * size * 0.6;

describe('compact card titles wrap at word boundaries', () => {
  it('never carries a piece of a word onto the next line ("Internati|onalise")', () => {
    // Ten characters a line: the long word is cut on its own line, not continued as "onalise the".
    const { lines, cut } = wrapWords('Internationalise the settings page', 60, (text) => measure(10, text));
    expect(lines).toEqual(['Internati…', 'the', 'settings', 'page']);
    expect(cut).toBe(true);
  });

  it('takes a smaller size where the long word fits whole, else cuts it with an ellipsis on its own line', () => {
    // 16 characters: 105.6 px at 11, 96 at 10: whole at 10 px in a 100 px wide card.
    const roomy = fitTitle('Internationalise the settings page', { width: 100, height: 60 }, 12, measure);
    expect(roomy).toEqual({ size: 10, lines: ['Internationalise', 'the settings', 'page'], whole: true });
    const tight = fitTitle('Internationalise the settings page', { width: 60, height: 30 }, 12, measure);
    expect(tight.whole).toBe(false);
    expect(tight.lines.some((line) => line.startsWith('onalise') || line.startsWith('nalise'))).toBe(false);
  });
});
