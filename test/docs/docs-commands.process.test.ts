import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, TempProject, WG_BIN } from '../helpers/wg-cli';

/**
 * Every page of docs/ runs as written: the `sh` blocks of a page are typed, line by line and in the page's order,
 * into a shell in one new folder, with this checkout's `wg` first on PATH; each line must succeed. (README's
 * "A first graph" has its own test, which runs it with a real agent: test/coordinator/first-graph.test.ts.)
 * Examples that are not meant to be run as they stand go in `text` blocks.
 */
const DOCS = join(REPO, 'docs');
const pages = readdirSync(DOCS)
  .filter((name) => name.endsWith('.md') && name !== 'commands.md')
  .map((name) => ({ name, blocks: shBlocks(readFileSync(join(DOCS, name), 'utf8')) }))
  .filter((page) => page.blocks.length > 0);

function shBlocks(markdown: string): string[][] {
  return [...markdown.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
    (m[1] ?? '').split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#')),
  );
}

const projects: TempProject[] = [];
afterAll(() => {
  for (const project of projects) project.remove();
});

describe('the docs run as written', () => {
  it('has pages with commands to run', () => {
    expect(pages.map((page) => page.name)).toContain('guide.md');
  });

  it('names only npm scripts that exist (README, CONTRIBUTING and every page)', () => {
    const scripts = Object.keys((JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: object }).scripts);
    const files = [
      'README.md',
      'CONTRIBUTING.md',
      ...readdirSync(DOCS)
        .filter((name) => name.endsWith('.md'))
        .map((name) => `docs/${name}`),
    ];
    const named = files.flatMap((file) =>
      [...readFileSync(join(REPO, file), 'utf8').matchAll(/npm run ([\w:-]+)/g)].map((m) => ({ file, script: m[1] })),
    );
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter(({ script }) => !scripts.includes(script as string))).toEqual([]);
  });

  for (const page of pages) {
    it(`docs/${page.name}`, async () => {
      const project = new TempProject('wg-docs-');
      projects.push(project);
      const bin = join(project.root, '.bin');
      mkdirSync(bin);
      writeFileSync(join(bin, 'wg'), `#!/bin/sh\nexec node ${JSON.stringify(WG_BIN)} "$@"\n`);
      chmodSync(join(bin, 'wg'), 0o755);
      const env = { ...project.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
      for (const line of page.blocks.flat()) {
        const result = await execa('sh', ['-c', line], { cwd: project.root, env, reject: false });
        expect(result.exitCode, `${line}\n${result.stderr}`).toBe(0);
      }
    });
  }
});
