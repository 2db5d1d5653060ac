import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { projectPaths, wgDirFor } from '../core/project';
import { type GlobalOptions, refuseFromRun, refuseRemote } from './run-op';
import { untrustedInitFolder } from '../core/opening/folder-trust';
import { WgError } from '../shared/errors';
import type { CliIo } from './cli-io';

/** `wg init`: creates `.workgraph/` (database, folders) in the current folder or --dir. */
export function registerInit(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  program
    .command('init')
    .description('Create .workgraph/ in this folder (or --dir)')
    .option(
      '--store <url>',
      "keep the graph in PostgreSQL (a team's graph): postgresql://user@host/db or postgresql:///db?host=/run/postgresql, &schema=NAME for one of several projects; the password comes from PGPASSWORD or ~/.pgpass",
    )
    .action(async (options: { store?: string }) => {
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
      const { notice, store, tasks } = initProject(paths, { storeUrl: options.store });
      if (notice) io.stderr.write(`wg: ${notice}\n`);
      // As upstream's init, only for a folder it makes: one that was there stays as its owner keeps it.
      if (!existed) {
        const { ignoreWorkgraphFolder } = await import('../core/opening/git-ignore');
        const ignored = ignoreWorkgraphFolder(wgDir);
        if (ignored.added) io.stdout.write(`${ignored.added}\n`);
        if (ignored.problem) io.stderr.write(`wg: ${ignored.problem}\n`);
      }
      const kept =
        store === null
          ? ''
          : `; its graph is kept in ${store}${tasks > 0 ? ` (${tasks} task${tasks === 1 ? '' : 's'} there already)` : ''}`;
      io.stdout.write(`${existed ? 'Workgraph already initialized' : 'Initialized workgraph'} in ${wgDir}${kept}\n`);
    });
}
