import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { wgCommand, wgShim } from '../../../src/main/wg-command/wg-command';

/** The POSIX shim run as a program; what wgCommand, wgShim and prependToPath make is in wg-command.test.ts. */
describe('wgShim', () => {
  describe.skipIf(process.platform === 'win32')('running the POSIX shim', () => {
    const dir = mkdtempSync(join(tmpdir(), "wg shim '"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("runs the command with the env and the caller's arguments intact", () => {
      // A stand-in for the Electron binary: prints what it was given.
      const fakeElectron = join(dir, "fake electron's");
      writeFileSync(fakeElectron, '#!/bin/sh\necho "RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "arg=$a"; done\n');
      chmodSync(fakeElectron, 0o755);
      const shim = wgShim(wgCommand({ execPath: fakeElectron, cliPath: join(dir, 'wg.cjs'), packaged: true, platform: 'linux' }), 'linux');
      const shimFile = join(dir, shim.fileName);
      writeFileSync(shimFile, shim.content);
      chmodSync(shimFile, shim.mode);
      const output = execFileSync(shimFile, ['done', 'my task', '--artifacts', '{"a": "$HOME"}'], {
        encoding: 'utf8',
        env: { PATH: process.env.PATH },
      });
      expect(output.trim().split('\n')).toEqual([
        'RUN_AS_NODE=1',
        `arg=${join(dir, 'wg.cjs')}`,
        'arg=done',
        'arg=my task',
        'arg=--artifacts',
        'arg={"a": "$HOME"}',
      ]);
    });
  });
});
