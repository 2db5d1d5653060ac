import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ensureProjectDirs, projectPaths, WG_DIR_NAME } from '../core/project';
import { Store } from '../core/store/store';
import type { GlobalOptions } from './run-op';

/** `wg init`: creates `.workgraph/` (database, folders) in the current folder or --dir. */
export function registerInit(program: Command, globals: () => GlobalOptions): void {
  program
    .command('init')
    .description('Create .workgraph/ in this folder (or --dir)')
    .action(() => {
      const base = resolve(globals().dir ?? process.env.WG_DIR ?? process.cwd());
      const wgDir = base.endsWith(WG_DIR_NAME) ? base : join(base, WG_DIR_NAME);
      const existed = existsSync(wgDir);
      const paths = projectPaths(wgDir);
      ensureProjectDirs(paths);
      new Store(paths.db).close();
      process.stdout.write(`${existed ? 'Workgraph already initialized' : 'Initialized workgraph'} in ${wgDir}\n`);
    });
}
