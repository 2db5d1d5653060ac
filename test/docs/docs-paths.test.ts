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

/**
 * A source file a page names in code by its name alone or the end of its path (`launcher.ts`, `runs/claiming/claim.ts`),
 * as a reader looks it up under src/, test/ or scripts/; `name.test.ts` and the like are CONTRIBUTING.md's patterns.
 */
const SOURCE_NAMED = /`((?:[\w.-]+\/)*[\w.-]+\.(?:ts|tsx|mts|mjs))`/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(`${dir}/${entry.name}`) : [`${dir}/${entry.name}`],
  );
}

function sourcesNamed(text: string): string[] {
  return [...text.matchAll(SOURCE_NAMED)].map((match) => match[1] as string).filter((name) => !name.startsWith('name.'));
}

function pathsNamed(text: string): string[] {
  return [...text.matchAll(NAMED_PATH)]
    .filter((match) => !/[<*]/.test(text.charAt((match.index ?? 0) + match[0].length)))
    .map((match) => match[0].replace(/\.$/, ''));
}

/** What a page names must be there: a file renamed, or made a folder, leaves the pages that name it pointing at nothing. */
describe('the paths the docs name', () => {
  it.each(PAGES)('%s names only files and folders that exist', (page) => {
    const named = pathsNamed(readFileSync(join(ROOT, page), 'utf8'));
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });

  it.each(PAGES)('%s names in code only source files there are, by their name or the end of their path', (page) => {
    const files = ['src', 'test', 'scripts'].flatMap(sourceFiles);
    const named = sourcesNamed(readFileSync(join(ROOT, page), 'utf8'));
    expect(named.filter((name) => !existsSync(join(ROOT, name)) && !files.some((file) => file.endsWith(`/${name}`)))).toEqual([]);
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
    expect(sourcesNamed('`launcher.ts` and `runs/claiming/claim.ts`, not `graph.jsonl`, `name.test.ts` or `src/<area>-ops.ts`')).toEqual([
      'launcher.ts',
      'runs/claiming/claim.ts',
    ]);
  });
});
