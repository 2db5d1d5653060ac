import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import { projectPaths, WG_DIR_NAMES, wgDirFor } from '../core/project';
import { type GlobalOptions, refuseFromRun, refuseRemote, runOp } from './run-op';
import { untrustedInitFolder } from '../core/files/folder-trust';
import { WgError } from '../shared/errors';
import type { CliIo } from './cli-io';

/** `wg init`: creates `.workgraph/` (database, folders) in the current folder or --dir. */
export function registerInit(program: Command, globals: () => GlobalOptions, io: CliIo): void {
  const noAgency = new Option('--no-agency', 'make no agency (none is made here: wg agency init makes one)');
  noAgency.negate = false;
  program
    .command('init')
    .description('Create .workgraph/ in this folder (or --dir)')
    .option(
      '--store <url>',
      "keep the graph in PostgreSQL (a team's graph): postgresql://user@host/db or postgresql:///db?host=/run/postgresql, &schema=NAME for one of several projects; the password comes from PGPASSWORD or ~/.pgpass",
    )
    .option('-x, --executor <name>', "the project's default executor (coordinator.executor)")
    .option('-m, --model <model>', "the project's default model (coordinator.model), e.g. sonnet or claude:opus")
    .addOption(noAgency)
    .action(async (options: { store?: string; executor?: string; model?: string }) => {
      refuseFromRun('make a project');
      refuseRemote('make a project', globals());
      const { initProject } = await import('../core/opening/init-project');
      // A folder upstream workgraph already uses (.wg/ or .workgraph/) is initialized where it is.
      const wgDir = wgDirFor(globals().dir ?? process.env.WG_DIR ?? process.cwd());
      const existed = existsSync(wgDir);
      if (!existed) refuseBesideSibling(wgDir);
      const paths = projectPaths(wgDir);
      // Another user's folder is refused as locateProject refuses it: nothing is made in it.
      const untrusted = untrustedInitFolder(paths.root, wgDir, paths.globalConfig);
      if (untrusted !== null) throw new WgError('forbidden', untrusted);
      // Upstream's -x and -m: the project's defaults, written as `wg config --executor E --model M` writes them.
      const settings = Object.fromEntries(
        Object.entries({ executor: options.executor, model: options.model }).filter(([, value]) => value !== undefined),
      );
      // Checked before anything is made: a bad flag or URL changes nothing.
      if (options.executor !== undefined) await (await import('../core/config/executors')).requireExecutor(paths, options.executor);
      if (Object.keys(settings).length > 0) await checkSettings(settings);
      if (options.store !== undefined) (await import('../core/opening/init-project')).checkStoreUrl(paths, options.store);
      // And should making it fail part way, what this init made is removed (never what was there before).
      const made = (await import('../core/opening/init-undo')).recordBeforeInit(paths);
      let result: Awaited<ReturnType<typeof initProject>>;
      try {
        result = await initProject(paths, { storeUrl: options.store });
        if (Object.keys(settings).length > 0) {
          await runOp('config:update', settings, { ...globals(), dir: wgDir }, io);
        }
      } catch (error) {
        try {
          made.undo();
        } catch {
          // What could not be removed stays; the failure that matters is the init's own.
        }
        throw error;
      }
      const { notice, store, tasks } = result;
      if (notice) io.stderr.write(`wg: ${notice}\n`);
      // As upstream's init, only for a folder it makes: one that was there stays as its owner keeps it.
      if (!existed) {
        const { ignoreWorkgraphFolder } = await import('../core/files/git-ignore');
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

/**
 * A new `.wg` beside a `.workgraph`, or the other way round, leaves two graphs where every later command finds only
 * `.wg`'s, and the other is silently hidden; as upstream's init, that is refused and nothing is made.
 */
function refuseBesideSibling(wgDir: string): void {
  const name = basename(wgDir);
  if (!(WG_DIR_NAMES as readonly string[]).includes(name)) return;
  for (const other of WG_DIR_NAMES) {
    const sibling = join(dirname(wgDir), other);
    if (other !== name && existsSync(sibling) && statSync(sibling).isDirectory())
      throw new WgError('conflict', `a workgraph folder is already there: ${sibling}; use it, or move it away before wg init`);
  }
}

/** `-x`/`-m` as `wg config` reads them, refused in one line before the project is made. */
async function checkSettings(settings: Record<string, string | undefined>): Promise<void> {
  const [{ parseInput }, { readValue }, { CONFIG_KEYS }] = await Promise.all([
    import('../core/ops/dispatch'),
    import('../core/config/settings'),
    import('../shared/config-keys'),
  ]);
  parseInput('config:update', settings);
  for (const [flag, value] of Object.entries(settings)) readValue(CONFIG_KEYS[flag as keyof typeof CONFIG_KEYS], value, `--${flag}`);
}
