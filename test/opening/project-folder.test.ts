import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateProject } from '../../src/core/project';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('which workgraph folder a command finds', () => {
  it('takes the one with a project in it over an empty .wg beside it (a mkdir .wg hid a .workgraph project)', () => {
    root = mkdtempSync(join(tmpdir(), 'wg-folder-'));
    mkdirSync(join(root, '.workgraph'));
    writeFileSync(join(root, '.workgraph', 'graph.jsonl'), '');
    mkdirSync(join(root, '.wg'));
    expect(locateProject({ cwd: root }).dir).toBe(join(root, '.workgraph'));
    // Both with a project: upstream's order, .wg first.
    writeFileSync(join(root, '.wg', 'graph.jsonl'), '');
    expect(locateProject({ cwd: root }).dir).toBe(join(root, '.wg'));
  });

  it('takes .wg, upstream’s name, when neither holds a project yet', () => {
    root = mkdtempSync(join(tmpdir(), 'wg-folder-'));
    mkdirSync(join(root, '.workgraph'));
    mkdirSync(join(root, '.wg'));
    expect(locateProject({ cwd: root }).dir).toBe(join(root, '.wg'));
  });
});
