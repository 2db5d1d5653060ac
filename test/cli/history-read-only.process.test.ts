import { chmodSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/**
 * gc --dry-run, archive --list and --dry-run, trace and spend read a project its reader may not write;
 * gc itself is refused in one line; so are
 * log and config, whose lists are read as well. A process of its own: it runs as another user.
 */
describe('in a project one may read but not write', () => {
  /** As someone who may read the project but not write it (root writes anything, so as nobody). */
  async function asReader(root: string, args: string[]) {
    const { execa } = await import('execa');
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = await execa('node', [WG_BIN, ...args], {
      cwd: root,
      env: { WG_HOME: join(root, '.nohome'), WG_DIR: '', HOME: root },
      reject: false,
      ...asNobody,
    });
    return { stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode ?? -1 };
  }

  it('reads with gc --dry-run, archive --list and --dry-run, trace and spend; refuses gc itself in one line', async () => {
    const r = new TempProject('wg-history-ro-');
    try {
      await r.ok(['init']);
      await r.ok(['add', 'Gone wrong', '--id', 'bad']);
      await r.ok(['claim', 'bad', '--agent', 'me']);
      await r.ok(['fail', 'bad']);
      for (const dir of [r.root, ...readdirSync(r.root).map((name) => join(r.root, name))]) {
        if (!statSync(dir).isDirectory()) continue;
        chmodSync(dir, 0o555);
        for (const name of readdirSync(dir)) chmodSync(join(dir, name), statSync(join(dir, name)).isDirectory() ? 0o555 : 0o444);
      }
      expect((await asReader(r.root, ['gc', '--dry-run'])).stdout).toBe('Would remove 1 tasks:\n  bad - Gone wrong [failed]');
      expect((await asReader(r.root, ['archive', '--list'])).stdout).toBe('No archived tasks.');
      expect((await asReader(r.root, ['archive', '--dry-run'])).stdout).toBe('No tasks to archive.');
      expect((await asReader(r.root, ['trace', 'show', 'bad'])).stdout).toContain('Trace: bad (failed)');
      expect((await asReader(r.root, ['spend'])).exitCode).toBe(0);
      const gc = await asReader(r.root, ['gc']);
      expect(gc.exitCode).not.toBe(0);
      expect(gc.stderr.trim()).toMatch(/^wg: this project is read-only/);
      // The read forms of commands that also change: a log listed, the settings shown (a review found them refused).
      for (const args of [['log', 'bad', '--list'], ['log', 'bad'], ['config'], ['config', '--list']]) {
        const read = await asReader(r.root, args);
        expect(read.exitCode, `${args.join(' ')}: ${read.stderr}`).toBe(0);
      }
      expect((await asReader(r.root, ['log', 'bad', '--list'])).stdout).toMatch(/Task failed/);
      const logged = await asReader(r.root, ['log', 'bad', 'a note']);
      expect(logged.exitCode).not.toBe(0);
      expect(logged.stderr.trim()).toMatch(/^wg: this project is read-only/);
    } finally {
      chmodSync(r.root, 0o755);
      for (const name of readdirSync(r.root)) if (statSync(join(r.root, name)).isDirectory()) chmodSync(join(r.root, name), 0o755);
      r.remove();
    }
  });
});
