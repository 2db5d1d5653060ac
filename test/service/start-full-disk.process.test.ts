import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initProject } from '../../src/core/opening/init-project';
import { projectPaths } from '../../src/core/project';
import { wgInProcess } from '../helpers/wg-cli';

/**
 * A coordinator started in the background on a full disk could not write why it failed to daemon.out (its
 * stderr), and `wg service start` said only "the coordinator exited at once (code 1)". It says why now, in one line.
 * A small tmpfs is the full disk: mounting one needs root, so elsewhere the test is skipped.
 */
const root = mkdtempSync(join(tmpdir(), 'wg-full-disk-'));
const mounted = (() => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', root], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Writes into a file until the disk refuses. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, block);
  } catch {
    // ENOSPC: full.
  } finally {
    closeSync(fd);
  }
}

beforeAll(async () => {
  if (!mounted) return;
  await initProject(projectPaths(join(root, '.workgraph')));
  mkdirSync(join(root, '.home'));
  fill(join(root, 'filler'));
});
afterAll(() => {
  // Lazily: the daemon that failed may still be on its way out, its folder in the mount.
  if (mounted) execFileSync('umount', ['-l', root]);
  rmSync(root, { recursive: true, force: true });
});

describe.runIf(mounted)('wg service start on a full disk', () => {
  it('says the disk is full, not only that the coordinator exited', async () => {
    const result = await wgInProcess(['service', 'start'], {
      cwd: root,
      env: { WG_HOME: join(root, '.home'), WG_DIR: '', WG_AGENT_ID: '', WG_RUN_ID: '' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.stderr.trim()).toBe('wg: the disk is full');
  }, 60_000);
});
