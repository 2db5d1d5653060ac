import { describe, expect, it } from 'vitest';
import { electronSqliteBinding } from '../../../src/main/wg-command/electron-sqlite';
import { cliPathFor, prependToPath, wgCommand, wgShim } from '../../../src/main/wg-command/wg-command';

describe('wgCommand', () => {
  it('runs the shipped CLI with the app binary as Node when packaged', () => {
    expect(
      wgCommand({
        execPath: '/opt/Workgraph/workgraph',
        cliPath: '/opt/Workgraph/resources/app.asar/out/cli/wg.cjs',
        packaged: true,
        platform: 'linux',
      }),
    ).toEqual({
      command: '/opt/Workgraph/workgraph',
      args: ['/opt/Workgraph/resources/app.asar/out/cli/wg.cjs'],
      env: { ELECTRON_RUN_AS_NODE: '1' },
    });
  });

  it('uses Electron as Node in development too, with source-mapped stack traces and its own SQLite build', () => {
    const binding = electronSqliteBinding('/repo');
    expect(
      wgCommand({
        execPath: '/repo/node_modules/electron/dist/electron',
        cliPath: '/repo/bin/wg.js',
        packaged: false,
        platform: 'linux',
        sqliteBinding: binding,
      }),
    ).toEqual({
      command: '/repo/node_modules/electron/dist/electron',
      args: ['/repo/bin/wg.js'],
      env: { ELECTRON_RUN_AS_NODE: '1', NODE_OPTIONS: '--enable-source-maps', WG_SQLITE_BINDING: binding },
    });
    // Beside node_modules/better-sqlite3, never in its place: `wg` under Node keeps loading Node's build.
    expect(binding).toBe(
      '/repo/node_modules/.cache/workgraph-desktop/electron-sqlite/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
  });
});

describe('cliPathFor', () => {
  it('reads the bundled CLI through app.asar when packaged, bin/wg.js in development', () => {
    expect(cliPathFor({ appPath: '/opt/W/resources/app.asar', packaged: true })).toBe('/opt/W/resources/app.asar/out/cli/wg.cjs');
    expect(cliPathFor({ appPath: '/repo', packaged: false })).toBe('/repo/bin/wg.js');
  });
});

describe('wgShim', () => {
  const launcher = { command: "/Apps/Work graph/it's", args: ['/x/wg.cjs'], env: { ELECTRON_RUN_AS_NODE: '1' } };

  it('writes a POSIX sh script that quotes paths', () => {
    const shim = wgShim(launcher, 'darwin');
    expect(shim.fileName).toBe('wg');
    expect(shim.mode).toBe(0o755);
    expect(shim.content).toBe(
      '#!/bin/sh\n# Written by Workgraph Desktop: runs the wg command shipped with the app.\n' +
        "ELECTRON_RUN_AS_NODE='1' exec '/Apps/Work graph/it'\\''s' '/x/wg.cjs' \"$@\"\n",
    );
  });

  it('writes a Windows .cmd that escapes % and passes every argument', () => {
    const shim = wgShim(
      { command: 'C:\\Program Files\\Workgraph\\Workgraph.exe', args: ['C:\\100%\\wg.cjs'], env: { ELECTRON_RUN_AS_NODE: '1' } },
      'win32',
    );
    expect(shim.fileName).toBe('wg.cmd');
    expect(shim.content.split('\r\n')).toEqual([
      '@echo off',
      'rem Written by Workgraph Desktop: runs the wg command shipped with the app.',
      'setlocal',
      'set "ELECTRON_RUN_AS_NODE=1"',
      '"C:\\Program Files\\Workgraph\\Workgraph.exe" "C:\\100%%\\wg.cjs" %*',
      'exit /b %ERRORLEVEL%',
      '',
    ]);
  });
});

describe('prependToPath', () => {
  it('puts the folder first, once', () => {
    expect(prependToPath('/usr/bin:/bin', '/data/bin', 'linux')).toBe('/data/bin:/usr/bin:/bin');
    expect(prependToPath('/usr/bin:/data/bin:/bin', '/data/bin', 'linux')).toBe('/data/bin:/usr/bin:/bin');
    expect(prependToPath(undefined, '/data/bin', 'darwin')).toBe('/data/bin');
  });

  it('uses ; and ignores case on Windows', () => {
    expect(prependToPath('C:\\Windows;C:\\DATA\\BIN', 'C:\\data\\bin', 'win32')).toBe('C:\\data\\bin;C:\\Windows');
  });
});
