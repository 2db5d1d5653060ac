import { describe, expect, it } from 'vitest';
import { GraphFileError, parseGraphLines } from '../../src/core/upstream-sync/graph-lines';

describe("a NUL in upstream's graph.jsonl", () => {
  it('is refused naming its line and field, as wg import refuses it; a backslash written before u0000 is text', () => {
    const text = '{"kind":"task","id":"a","title":"A"}\n{"kind":"task","id":"b","title":"B","description":"see\\u0000this"}\n';
    expect(() => parseGraphLines(text)).toThrow(GraphFileError);
    expect(() => parseGraphLines(text)).toThrow(
      "line 2 of graph.jsonl: field 'description' holds a NUL character (a zero byte), which wg does not store in any text; remove it",
    );
    // `\\u0000` in the file is a backslash and the text u0000, no NUL.
    expect(parseGraphLines('{"kind":"task","id":"c","title":"C","description":"see\\\\u0000this"}\n')).toHaveLength(1);
  });
});
