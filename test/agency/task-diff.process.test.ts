import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { taskDiff } from '../../src/core/agency/evaluation/task-diff';

let root: string;
const git = (...args: string[]) =>
  execa('git', args, {
    cwd: root,
    env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'wg-diff-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the diff an evaluator reads', () => {
  it('shows what the artifacts changed since the task started, committed or not, new files whole', async () => {
    await git('init', '-q');
    writeFileSync(join(root, 'parser.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'other.ts'), 'untouched\n');
    await git('add', '.');
    await git('commit', '-qm', 'base');
    const started = new Date(Date.now() + 1000).toISOString();
    writeFileSync(join(root, 'parser.ts'), 'export const a = 2;\n');
    writeFileSync(join(root, 'parser.test.ts'), "test('a', () => {});\n");
    writeFileSync(join(root, 'other.ts'), 'changed by someone else\n');
    const diff = await taskDiff(root, {
      artifacts: ['parser.ts', join(root, 'parser.test.ts'), '../outside.ts', 'missing.ts'],
      started_at: started,
    });
    expect(diff).toContain('-export const a = 1;');
    expect(diff).toContain('+export const a = 2;');
    expect(diff).toContain("+test('a', () => {});");
    expect(diff).not.toContain('someone else');
  });

  it('is null outside a repository, without file artifacts, or with no change', async () => {
    writeFileSync(join(root, 'a.txt'), 'x\n');
    expect(await taskDiff(root, { artifacts: ['a.txt'], started_at: new Date().toISOString() })).toBeNull();
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-qm', 'base');
    expect(await taskDiff(root, { artifacts: ['https://example.com/report'], started_at: new Date().toISOString() })).toBeNull();
    expect(await taskDiff(root, { artifacts: ['a.txt'], started_at: new Date(Date.now() + 1000).toISOString() })).toBeNull();
  });
});
