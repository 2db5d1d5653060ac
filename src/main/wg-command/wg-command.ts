import { join } from 'node:path';
import type { WgCommand } from '../../core/runs/starting/agent-wg';

/**
 * How agents spawned by the app run the `wg` command.
 *
 * The packaged app cannot count on a Node.js being installed, and even where one is, it could not
 * load the shipped better-sqlite3: that native module is built for Electron's ABI (see
 * electron-builder.yml). So `wg` runs the bundled CLI with the app's own binary acting as Node
 * (ELECTRON_RUN_AS_NODE=1), the same runtime that the main process opens the database with.
 * In development agents' `wg` runs the same way, with the build of better-sqlite3 for Electron that sits beside
 * Node's (electron-sqlite.ts), named by WG_SQLITE_BINDING.
 */
export interface WgCommandInput {
  /** process.execPath of the running app (the Electron binary). */
  execPath: string;
  /** The CLI entry to run, see cliPathFor. */
  cliPath: string;
  packaged: boolean;
  platform: NodeJS.Platform;
  /** In development, better-sqlite3's build for Electron (electronSqliteBinding); packaged, the app's own is. */
  sqliteBinding?: string;
}

export function wgCommand(input: WgCommandInput): WgCommand {
  const env: Record<string, string> = { ELECTRON_RUN_AS_NODE: '1' };
  // Development builds map stack traces back to src/ (the CLI bundle has linked source maps).
  if (!input.packaged) env.NODE_OPTIONS = '--enable-source-maps';
  if (input.sqliteBinding) env.WG_SQLITE_BINDING = input.sqliteBinding;
  return { command: input.execPath, args: [input.cliPath], env };
}

/**
 * The CLI entry inside the app. Packaged, `appPath` is `…/resources/app.asar`: the CLI is read
 * through the archive path (Electron redirects to app.asar.unpacked for unpacked files) so its
 * bare imports resolve to the dependencies inside app.asar/node_modules. In development,
 * bin/wg.js prints a clear message when the CLI has not been built yet.
 */
export function cliPathFor(input: { appPath: string; packaged: boolean }): string {
  return input.packaged ? join(input.appPath, 'out', 'cli', 'wg.cjs') : join(input.appPath, 'bin', 'wg.js');
}

export interface ShimFile {
  fileName: string;
  content: string;
  mode: number;
}

/** A `wg` script for a folder put first on agents' PATH: sets the command's env and runs it with the caller's arguments. */
export function wgShim(command: WgCommand, platform: NodeJS.Platform): ShimFile {
  const envEntries = Object.entries(command.env);
  if (platform === 'win32') {
    const lines = [
      '@echo off',
      'rem Written by Workgraph Desktop: runs the wg command shipped with the app.',
      'setlocal',
      ...envEntries.map(([key, value]) => `set "${key}=${cmdEscape(value)}"`),
      `${[command.command, ...command.args].map((part) => `"${cmdEscape(part)}"`).join(' ')} %*`,
      'exit /b %ERRORLEVEL%',
    ];
    return { fileName: 'wg.cmd', content: `${lines.join('\r\n')}\r\n`, mode: 0o755 };
  }
  const assignments = envEntries.map(([key, value]) => `${key}=${shQuote(value)}`).join(' ');
  const lines = [
    '#!/bin/sh',
    '# Written by Workgraph Desktop: runs the wg command shipped with the app.',
    `${assignments} exec ${[command.command, ...command.args].map(shQuote).join(' ')} "$@"`,
  ];
  return { fileName: 'wg', content: `${lines.join('\n')}\n`, mode: 0o755 };
}

/** `dir` first on a PATH value, once. */
export function prependToPath(current: string | undefined, dir: string, platform: NodeJS.Platform): string {
  const delimiter = platform === 'win32' ? ';' : ':';
  const same = (entry: string) => (platform === 'win32' ? entry.toLowerCase() === dir.toLowerCase() : entry === dir);
  const rest = (current ?? '').split(delimiter).filter((entry) => entry !== '' && !same(entry));
  return [dir, ...rest].join(delimiter);
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Inside double quotes in a .cmd file only `%` (variable expansion) needs escaping; paths cannot contain `"`. */
function cmdEscape(value: string): string {
  return value.replace(/%/g, '%%');
}
