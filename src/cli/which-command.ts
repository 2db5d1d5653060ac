import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { findWgDir, WG_DIR_NAME } from '../core/project';
import { jsonText } from '../core/text/plain-text';
import type { GlobalOptions } from './run-op';
import type { CliIo } from './cli-io';

/** What `wg which` says: the folder a command here would use, why, and whether it is there yet. */
interface Which {
  dir: string;
  reason: string;
  exists: boolean;
}

/** Upstream's resolver steps, in its words (its `Commands::Which`). */
export function whichDir(dir: string | undefined, cwd: string): Which {
  const found = findWgDir({ dir, cwd });
  if (found === null) {
    // `wg init` here makes .workgraph/ (docs/upstream.md says why), where upstream's makes .wg/.
    const wgDir = join(resolve(cwd), WG_DIR_NAME);
    return { dir: wgDir, reason: `default ./${WG_DIR_NAME} (does not exist yet — run \`wg init\` to create)`, exists: existsSync(wgDir) };
  }
  const reasons = {
    dir: '--dir flag',
    env: `WG_DIR env var (${process.env.WG_DIR ?? ''})`,
    walk: `walked up from cwd and found ${found.wgDir}`,
    worktree: `walked up from cwd and found ${found.wgDir} (the main folder of this git worktree's repository)`,
  };
  return { dir: found.wgDir, reason: reasons[found.by], exists: existsSync(found.wgDir) };
}

/**
 * `wg which`: the workgraph folder `wg` would use from here and which step of the search found it (upstream's
 * command). Only this machine's own search: with --server, commands go to that coordinator's project instead.
 */
export function registerWhich(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  program
    .command('which')
    .description('Print the WG directory that `wg` would use from here, and show which resolver step won')
    .action(() => {
      const found = whichDir(globals().dir, process.cwd());
      if (globals().json) {
        io.stdout.write(`${jsonText(found, 2)}\n`);
        return;
      }
      const lines = [found.dir, `  reason: ${found.reason}`];
      if (!found.exists) lines.push('  note: this directory does not exist yet');
      io.stdout.write(`${lines.join('\n')}\n`);
    });
}
