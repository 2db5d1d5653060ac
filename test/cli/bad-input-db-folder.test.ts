import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TempProject } from '../helpers/wg-cli';

const p = new TempProject();
const db = () => join(p.root, '.workgraph/graph.db');
beforeAll(async () => {
  await p.ok(['init']);
  rmSync(db());
  mkdirSync(db());
});
afterAll(() => p.remove());

describe('a folder where graph.db should be', () => {
  it('wg list says which file it could not open, in one line, and leaves the folder as it is', async () => {
    const before = readdirSync(join(p.root, '.workgraph')).sort();
    for (const args of [['list'], ['add', 'A']]) {
      const result = await p.wg(args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toBe(`wg: cannot open the graph database ${db()}: a folder, not a file`);
    }
    expect(statSync(db()).isDirectory()).toBe(true);
    expect(readdirSync(db())).toEqual([]);
    expect(readdirSync(join(p.root, '.workgraph')).sort()).toEqual(before);
  });
});
