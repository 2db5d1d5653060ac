import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prependToPath, wgCommand, wgShim, type WgCommandInput } from './wg-command';

/**
 * Writes the `wg` shim into `binDir` and puts that folder first on this process's PATH. The
 * coordinator builds each agent's environment from process.env, so every agent the app starts
 * finds the app's own `wg`, and the command's ELECTRON_RUN_AS_NODE stays inside the shim.
 */
export function installWgOnPath(binDir: string, input: WgCommandInput): string {
  const shim = wgShim(wgCommand(input), input.platform);
  const file = join(binDir, shim.fileName);
  mkdirSync(binDir, { recursive: true });
  writeFileSync(file, shim.content);
  chmodSync(file, shim.mode);
  process.env.PATH = prependToPath(process.env.PATH, binDir, input.platform);
  return file;
}
