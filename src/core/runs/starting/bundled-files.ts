import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WgCommand } from './agent-wg';

/**
 * Files of this app found from the running code: bundled (out/cli/wg.cjs, out/main/…) or from
 * source (tests), the package root is the nearest folder upward that has `relative`.
 */
function findAppFile(relative: string): string | null {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, relative);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

const CLI_BUNDLE = join('out', 'cli', 'wg.cjs');

/** The bundled CLI: WG_CLI_PATH if set, else found from here (this file itself, when running from the bundle). */
export function cliBundlePath(): string {
  const override = process.env.WG_CLI_PATH?.trim();
  if (override) return resolve(override);
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith(CLI_BUNDLE)) return here;
  return findAppFile(CLI_BUNDLE) ?? resolve(CLI_BUNDLE);
}

/** Plain Node running the bundled CLI (the app passes its own: Electron with ELECTRON_RUN_AS_NODE=1). */
export function defaultWgCommand(): WgCommand {
  return { command: process.execPath, args: [cliBundlePath()], env: {} };
}

/** The built renderer for browser mode: WG_RENDERER_DIR if set, else out/renderer of this app. */
export function rendererDir(): string | null {
  const override = process.env.WG_RENDERER_DIR?.trim();
  if (override) return resolve(override);
  const index = findAppFile(join('out', 'renderer', 'index.html'));
  return index ? dirname(index) : null;
}
