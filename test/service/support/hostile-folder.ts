import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { type ProjectPaths, projectPaths } from '../../../src/core/project';

/**
 * A project folder whose name holds every character systemd or XML would take for syntax (a space, %, $, quotes, a
 * backslash, & and <), in a temporary folder removed after the file's tests: where `wg service install` must still
 * write a unit and a job that name it right.
 */
export function hostileProjectFolder(): { root: string; folder: string; paths: ProjectPaths } {
  const root = mkdtempSync(join(tmpdir(), 'wg-install-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const folder = join(root, 'my 100% $HOME "quoted" back\\slash & <tag>');
  mkdirSync(folder, { recursive: true });
  return { root, folder, paths: projectPaths(join(folder, '.workgraph')) };
}
