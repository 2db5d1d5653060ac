import { lchownSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * `wg init` keeps the workgraph folder out of git as upstream's does: its name in the repository's
 * .gitignore and a .gitignore of its own. What git then stages is in init-gitignore.process.test.ts.
 */
let p: TempProject;
afterEach(() => p?.remove());

describe('wg init and git (upstream init.rs tests)', () => {
  it('test_creates_inner_gitignore: the folder ignores its service files, credentials and this app’s own files', async () => {
    p = new TempProject('wg-init-ignore-');
    await p.ok(['init']);
    const inner = readFileSync(join(p.root, '.workgraph', '.gitignore'), 'utf8');
    for (const line of ['agents/', 'service/', '*.secret', '*.credentials', 'graph.db', 'runs/', 'desktop/'])
      expect(inner.split('\n')).toContain(line);
  });

  it('test_creates_repo_level_gitignore_when_missing', async () => {
    p = new TempProject('wg-init-ignore-');
    expect(await p.ok(['init'])).toBe(`Added .workgraph to .gitignore\nInitialized workgraph in ${join(p.root, '.workgraph')}`);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('.workgraph\n');
  });

  it('test_appends_to_existing_repo_gitignore (a last line without its newline kept whole)', async () => {
    p = new TempProject('wg-init-ignore-');
    writeFileSync(join(p.root, '.gitignore'), 'node_modules/\ndist');
    await p.ok(['init']);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('node_modules/\ndist\n.workgraph\n');
  });

  it('test_does_not_duplicate_repo_gitignore_entry; a folder that was there is left as it is', async () => {
    p = new TempProject('wg-init-ignore-');
    writeFileSync(join(p.root, '.gitignore'), '/.workgraph/\n');
    expect(await p.ok(['init'])).not.toContain('Added');
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('/.workgraph/\n');
    writeFileSync(join(p.root, '.gitignore'), 'other\n');
    expect(await p.ok(['init'])).toBe(`Workgraph already initialized in ${join(p.root, '.workgraph')}`);
    expect(readFileSync(join(p.root, '.gitignore'), 'utf8')).toBe('other\n');
  });

  // Least authority: a link another user planted at .gitignore (a shared folder) is not followed to a file of ours.
  it.runIf(process.getuid?.() === 0)('does not append through a .gitignore link another user planted', async () => {
    p = new TempProject('wg-init-ignore-');
    const mine = join(p.root, 'notes.txt');
    writeFileSync(mine, '# my notes\n');
    symlinkSync(mine, join(p.root, '.gitignore'));
    lchownSync(join(p.root, '.gitignore'), 65534, 65534);
    const result = await p.wg(['init']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe(
      `wg: ${join(p.root, '.gitignore')} is another user's (a link or file of theirs), not written to: add .workgraph to it yourself to keep it out of commits`,
    );
    expect(readFileSync(mine, 'utf8')).toBe('# my notes\n');
  });
});
