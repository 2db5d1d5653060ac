import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const PAGES = [
  'README.md',
  'SECURITY.md',
  'CONTRIBUTING.md',
  'src/renderer/README.md',
  ...readdirSync(join(ROOT, 'docs')).map((name) => `docs/${name}`),
].filter((page) => page.endsWith('.md'));

/**
 * A path of the repository a page names (a file or a folder under src/, test/ or scripts/), not one inside another
 * path (`/src/app` on a remote machine) and not a pattern (`<area>`, `*`).
 */
const NAMED_PATH = /(?<![\w/.-])(?:src|test|scripts)\/[\w./-]*[\w/]/g;

function pathsNamed(text: string): string[] {
  return [...text.matchAll(NAMED_PATH)]
    .filter((match) => !/[<*]/.test(text.charAt((match.index ?? 0) + match[0].length)))
    .map((match) => match[0].replace(/\.$/, ''));
}

/**
 * What a page names must be there: a renamed test left SECURITY.md pointing at nothing, and ARCHITECTURE.md named a
 * file that had become a folder.
 */
describe('the paths the docs name', () => {
  it.each(PAGES)('%s names only files and folders that exist', (page) => {
    const named = pathsNamed(readFileSync(join(ROOT, page), 'utf8'));
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it("ARCHITECTURE.md's table of where things live names every folder of src/core", () => {
    const page = readFileSync(join(ROOT, 'docs/ARCHITECTURE.md'), 'utf8');
    const folders = readdirSync(join(ROOT, 'src/core'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
    expect(folders.map((entry) => entry.name).filter((name) => !page.includes(`${name}/\``))).toEqual([]);
  });

  it('finds the paths in a page and leaves out patterns and paths inside other paths', () => {
    expect(pathsNamed('see `src/core/store/` and test/docs/docs-paths.test.ts. REPO=/src/app, src/ops/<area>-ops.ts')).toEqual([
      'src/core/store/',
      'test/docs/docs-paths.test.ts',
    ]);
  });
});
