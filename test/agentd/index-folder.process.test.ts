import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { snapshotTree } from '../../src/agentd/git-changes';
import { resolveRunAs } from '../../src/agentd/run-as';

/*
 * RUN_AS (the agent daemon as root, each job as an unprivileged user): the throwaway index folder of a job's
 * snapshot is that user's, so the daemon removes it with that user's rights, never root's. Root walking a folder
 * another user can change as it goes deletes through the links that user swaps in (a symlink race on the removal).
 */
describe.runIf(process.getuid?.() === 0)('the index folder of a snapshot run as nobody (as root)', () => {
  const root = mkdtempSync(join(tmpdir(), 'wg-index-folder-'));
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("is removed with nobody's rights: a folder of root's planted in it stays", async () => {
    const repo = join(root, 'repo');
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { stdio: 'ignore' });
    git('init', '-q');
    writeFileSync(join(repo, 'a.txt'), 'a\n');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'first');
    execFileSync('chown', ['-R', 'nobody:', repo]);
    const temp = join(root, 'tmp');
    mkdirSync(temp, { mode: 0o755 });
    // What root can delete and nobody cannot, planted in the index folder while the snapshot's git runs.
    let planted: string | null = null;
    const watcher = watch(temp, (_event, name) => {
      if (planted || !name?.startsWith('wg-agentd-index-')) return;
      const keep = join(temp, name, 'keep');
      mkdirSync(keep, { mode: 0o755 });
      planted = join(keep, 'file');
      writeFileSync(planted, 'root\n');
    });
    const before = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      const snapshot = await snapshotTree(repo, resolveRunAs('nobody'));
      expect(snapshot?.tree).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      watcher.close();
    }
    expect(planted).not.toBeNull();
    expect(existsSync(planted as unknown as string)).toBe(true);
  });
});
