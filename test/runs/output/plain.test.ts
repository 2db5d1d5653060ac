import { describe, expect, it } from 'vitest';
import { createOutputParser, plainParser } from '../../../src/core/runs/output';
import { feedSplit } from './split-feed';

describe('plain parser', () => {
  it('emits one text event per line, including the unterminated last line', () => {
    const parser = plainParser();
    expect([...parser.push('one\ntw'), ...parser.push('o\r\n\nthr'), ...parser.end()]).toEqual([
      { type: 'text', text: 'one' },
      { type: 'text', text: 'two' },
      { type: 'text', text: '' },
      { type: 'text', text: 'thr' },
    ]);
  });

  it('does not corrupt multi-byte characters split between chunks', () => {
    const bytes = Buffer.from('größe ✓\n世界\n');
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(feedSplit(createOutputParser('plain'), bytes, [cut])).toEqual([
        { type: 'text', text: 'größe ✓' },
        { type: 'text', text: '世界' },
      ]);
    }
  });

  it('cuts an endless line into bounded pieces instead of buffering it all', () => {
    const parser = plainParser();
    const events = [...parser.push('x'.repeat(100 * 1024)), ...parser.push('x'.repeat(100 * 1024)), ...parser.end()];
    expect(events.map((e) => (e.type === 'text' ? e.text.length : 0))).toEqual([64 * 1024, 64 * 1024, 64 * 1024, 8 * 1024]);
    expect(parser.push('y\n')).toEqual([{ type: 'text', text: 'y' }]);
  });
});
