import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { projectPaths, wgDirFor } from '../core/project';
import { type GlobalOptions, refuseFromRun, refuseRemote } from './run-op';
import { untrustedInitFolder } from '../core/opening/folder-trust';
import { WgError } from '../shared/errors';

/** `wg init`: creates `.workgraph/` (database, folders) in the current folder or --dir. */
export function registerInit(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('Create .workgraph/ in this folder (or --dir)')
    .action(async () => {
      refuseFromRun('make a project');
      refuseRemote('make a project', globals());
      const { initProject } = await import('../core/opening/init-project');
      // A folder upstream workgraph already uses (.wg/ or .workgraph/) is initialized where it is.
      const wgDir = wgDirFor(globals().dir ?? process.env.WG_DIR ?? process.cwd());
      const existed = existsSync(wgDir);
      const paths = projectPaths(wgDir);
      // Another user's folder is refused as locateProject refuses it: nothing is made in it.
      const untrusted = untrustedInitFolder(paths.root, wgDir, paths.globalConfig);
      if (untrusted !== null) throw new WgError('forbidden', untrusted);
      const notice = initProject(paths);
      if (notice) process.stderr.write(`wg: ${notice}\n`);
      // As upstream's init, only for a folder it makes: one that was there stays as its owner keeps it.
      if (!existed) {
        const { ignoreWorkgraphFolder } = await import('../core/opening/git-ignore');
        const ignored = ignoreWorkgraphFolder(wgDir);
        if (ignored.added) process.stdout.write(`${ignored.added}\n`);
        if (ignored.problem) process.stderr.write(`wg: ${ignored.problem}\n`);
      }
      process.stdout.write(`${existed ? 'Workgraph already initialized' : 'Initialized workgraph'} in ${wgDir}\n`);
    });
}
