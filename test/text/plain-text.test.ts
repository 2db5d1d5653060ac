import { describe, expect, it } from 'vitest';
import { plainText, withoutControls } from '../../src/core/text/plain-text';

describe('user data shown as text on a terminal, never obeyed', () => {
  it('removes escape sequences, C1 controls and bidi overrides, and keeps newlines and tabs', () => {
    expect(plainText('\u001b[31mred\u001b[0m')).toBe('red');
    expect(plainText('\u009b31mcsi')).toBe('csi');
    expect(plainText('\u001b]8;;https://x.invalid\u0007link\u001b]8;;\u0007')).toBe('link');
    expect(plainText('\u001b]0;title\u0007t')).toBe('t');
    expect(plainText('abc\u202edef\u2066g')).toBe('abcdefg');
    expect(plainText('bell\u0007 nul\u0000 del\u007f')).toBe('bell nul del');
    expect(plainText('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });

  it('gives plain text back as it is, and so every string of a result', () => {
    const text = 'Write the migrations — ünïcode, emoji 🎉, quotes "x"';
    expect(plainText(text)).toBe(text);
    expect(withoutControls({ title: `\u001b[2J${text}`, tags: ['a\u009b', 'b'], n: 3 })).toEqual({ title: text, tags: ['a', 'b'], n: 3 });
  });
});

describe('a result made plain', () => {
  it('is copied only where something changed, and the result itself is left as it was', () => {
    const clean = { id: 't1', tags: ['a'], log: [{ message: 'ok' }] };
    expect(withoutControls(clean)).toBe(clean);
    const dirty = { id: 't2', tags: ['a'], log: [{ message: 'ok' }, { message: '\u001b[1mbold' }] };
    const plain = withoutControls(dirty);
    expect(plain).toEqual({ id: 't2', tags: ['a'], log: [{ message: 'ok' }, { message: 'bold' }] });
    expect(dirty.log[1]?.message).toBe('\u001b[1mbold');
    expect(plain.tags).toBe(dirty.tags);
  });
});

describe('a result told clean by its JSON text', () => {
  it('still finds every control JSON escapes, and each one JSON keeps as it is', () => {
    // JSON writes \b, \f and \r short, the other controls below U+0020 as \u00XX; U+007F-U+009F and the bidi marks as they are.
    for (const control of [
      '\b',
      '\f',
      '\r',
      '\u0000',
      '\u000b',
      '\u000e',
      '\u001b',
      '\u001f',
      '\u007f',
      '\u0085',
      '\u009b',
      '\u202e',
      '\u2069',
    ])
      expect(withoutControls({ list: [{ title: `a${control}b` }] })).toEqual({ list: [{ title: 'ab' }] });
  });

  it('keeps tabs, newlines and backslashes, and a result JSON cannot hold is walked as before', () => {
    const kept = { text: 'C:\\bin\\file\tone\ntwo \\u001b', n: 1 };
    expect(withoutControls(kept)).toBe(kept);
    expect(withoutControls({ size: 10n, title: '\u001b[2Jx' })).toEqual({ size: 10n, title: 'x' });
    expect(withoutControls(['\u001b[1mbold', 3, null])).toEqual(['bold', 3, null]);
    expect(withoutControls('bell\u0007')).toBe('bell');
  });
});
