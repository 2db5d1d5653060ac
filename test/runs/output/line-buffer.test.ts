import { describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../src/core/runs/output/line-buffer';

describe('LineBuffer', () => {
  it('joins a line split over chunks and keeps the tail until the end', () => {
    const lines = new LineBuffer();
    expect(lines.push('ab')).toEqual([]);
    expect(lines.push('c\nde')).toEqual(['abc']);
    expect(lines.push('f\n\ng')).toEqual(['def', '']);
    expect(lines.end()).toEqual(['g']);
    expect(lines.end()).toEqual([]);
  });

  it('drops the \\r of CRLF even when \\r and \\n arrive in different chunks', () => {
    const lines = new LineBuffer();
    expect(lines.push('one\r')).toEqual([]);
    expect(lines.push('\ntwo\r\n')).toEqual(['one', 'two']);
  });

  it('hands out an over-long line in pieces of at most the limit instead of holding it', () => {
    const lines = new LineBuffer(4);
    expect(lines.push('abc')).toEqual([]);
    expect(lines.push('defg')).toEqual(['abcd']);
    expect(lines.push('hij\nxy\n')).toEqual(['efgh', 'ij', 'xy']);
    expect(lines.push(`${'z'.repeat(10)}\n`)).toEqual(['zzzz', 'zzzz', 'zz']);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const lines = new LineBuffer(4);
    expect(lines.push('abc😀de\n')).toEqual(['abc', '😀de']);
    // The same cut when the pair arrives in the next chunk, right where the piece would end.
    expect(lines.push('abc')).toEqual([]);
    expect(lines.push('😀de\n')).toEqual(['abc', '😀de']);
  });

  it('can keep lines up to one size and cut longer ones into smaller pieces', () => {
    const lines = new LineBuffer(6, 2);
    expect(lines.push('abcdef\n')).toEqual(['abcdef']);
    expect(lines.push('abcdefgh\n')).toEqual(['ab', 'cd', 'ef', 'gh']);
  });
});
