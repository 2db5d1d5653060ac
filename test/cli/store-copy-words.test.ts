import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg store copy` without --switch says what is true of the copy: it is of this moment, and how to use it. (Not
 * `wg store copy … --switch`, which a non-empty target refuses.)
 */
let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-copy-words-');
  await p.ok(['init']);
  await p.ok(['add', 'One task']);
});
afterEach(() => p.remove());

describe('wg store copy without --switch', () => {
  it('says the copy will not follow the project, and how to use it', async () => {
    const out = await p.ok(['store', 'copy', '--to', join(p.root, 'copy.db')]);
    expect(out.split('\n')[1]).toBe(
      'this project still keeps its graph where it did, and the copy will not follow its changes; to use the copy, put it in a project folder as .workgraph/graph.db',
    );
  });
});
