import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keepRefusedGraphFile, REFUSED_GRAPH_FILE } from '../../src/core/upstream-sync/graph-file';

/*
 * Every version of graph.jsonl refused and written over is kept, the last ten: with one kept, a second refusal would
 * write over the first, and a person's save refused once would be gone.
 */

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('refused versions of graph.jsonl', () => {
  it('are kept newest first, ten of them, and the same version refused again is kept once', () => {
    dir = mkdtempSync(join(tmpdir(), 'wg-refused-'));
    for (let i = 1; i <= 12; i++) keepRefusedGraphFile(dir, `version ${i}\n`);
    keepRefusedGraphFile(dir, 'version 12\n');
    const read = (name: string) => readFileSync(join(dir, name), 'utf8');
    expect(read(REFUSED_GRAPH_FILE)).toBe('version 12\n');
    expect(read(`${REFUSED_GRAPH_FILE}.1`)).toBe('version 11\n');
    expect(read(`${REFUSED_GRAPH_FILE}.9`)).toBe('version 3\n');
    expect(readdirSync(dir)).toHaveLength(10);
  });
});
