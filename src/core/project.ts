import { existsSync, readFileSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { WgError } from '../shared/errors';
import { makeFolder } from './files/make-folder';
import { untrustedFolder } from './files/folder-trust';
import { ignoreOwnFolder } from './files/git-ignore';

/** What `wg init` creates in a folder that has no workgraph folder yet. */
export const WG_DIR_NAME = '.workgraph';
/** Workgraph folders this app recognises, in upstream's order: `.wg` (upstream's name now), then `.workgraph`. */
export const WG_DIR_NAMES = ['.wg', '.workgraph'] as const;

const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** A workgraph folder with a project in it: a graph (either tool's) or a config. */
const holdsProject = (dir: string) => ['graph.jsonl', 'graph.db', 'config.toml'].some((file) => existsSync(join(dir, file)));

/**
 * The workgraph folder inside `folder` (`.wg`, else `.workgraph`), or null. One with a project in it comes before an
 * empty one: else a `mkdir .wg` beside a `.workgraph` project would hide that project (every command would see an
 * empty graph, and make a new one in `.wg`).
 */
export function wgDirIn(folder: string): string | null {
  const present = WG_DIR_NAMES.map((name) => join(folder, name)).filter(isDirectory);
  return present.find(holdsProject) ?? present[0] ?? null;
}

/**
 * A path a person gave (--dir, WG_DIR, the folder opened in the app): a workgraph folder itself
 * (named `.wg`/`.workgraph`, or holding a graph), else the project folder whose workgraph folder it
 * means; `fallback` names the one to create when there is none.
 */
export function wgDirFor(path: string, fallback = WG_DIR_NAME): string {
  const given = resolve(path);
  if ((WG_DIR_NAMES as readonly string[]).includes(basename(given))) return given;
  if (existsSync(join(given, 'graph.jsonl')) || existsSync(join(given, 'graph.db'))) return given;
  return wgDirIn(given) ?? join(given, fallback);
}

/** Every path the app uses inside a project's `.workgraph/` folder. */
export interface ProjectPaths {
  root: string;
  dir: string;
  db: string;
  config: string;
  globalConfig: string;
  serviceDir: string;
  pidFile: string;
  stateFile: string;
  socket: string;
  tokenFile: string;
  daemonLog: string;
  runsDir: string;
  /**
   * Set when the folder belongs to another user and the person has not trusted it (folder-trust.ts):
   * it may be read, read-only, as a project one cannot write; anything else is refused with this line.
   */
  untrusted?: string;
}

/** WG_HOME, else upstream's global folder: `~/.wg`, else `~/.workgraph`. */
export function globalHome(): string {
  if (process.env.WG_HOME) return resolve(process.env.WG_HOME);
  return wgDirIn(homedir()) ?? join(homedir(), WG_DIR_NAME);
}

/**
 * Unix socket paths are limited to ~100 bytes; a deep project folder gets one in the temp folder,
 * inside a folder of the user's own (`wg-<uid>`, made 0700 by the daemon and checked by clients,
 * see socket-safety.ts), never loose in the shared temp folder.
 */
function socketPath(serviceDir: string): string {
  const preferred = join(serviceDir, 'daemon.sock');
  if (Buffer.byteLength(preferred) < 100) return preferred;
  const user = typeof process.getuid === 'function' ? process.getuid() : 'user';
  // node:crypto is loaded only for such a long path, not by every `wg` start.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return join(tmpdir(), `wg-${user}`, `${createHash('sha256').update(serviceDir).digest('hex').slice(0, 16)}.sock`);
}

/**
 * Where this app keeps its own files (graph.db, daemon socket, state, log, token; run folders). Upstream
 * workgraph keeps its own under the same names (`service/daemon.sock`, `service/state.json`, `runs/`),
 * so in a folder upstream uses (it has a graph.jsonl) they go into `desktop/`, and stay there: upstream
 * never looks in it, and nothing of upstream's is beside them.
 */
export const OWN_SUBFOLDER = 'desktop';

function ownFilesDir(dir: string): string {
  const own = join(dir, OWN_SUBFOLDER);
  return existsSync(own) || existsSync(join(dir, 'graph.jsonl')) ? own : dir;
}

/**
 * graph.db goes with the app's other files; one an earlier version made beside an upstream graph.jsonl
 * is used where it is (moving a database other processes may hold open would split the graph).
 */
function dbPath(dir: string, ownDir: string): string {
  const beside = join(dir, 'graph.db');
  return ownDir === dir || existsSync(beside) ? beside : join(ownDir, 'graph.db');
}

export function projectPaths(wgDir: string): ProjectPaths {
  const dir = resolve(wgDir);
  const ownDir = ownFilesDir(dir);
  const serviceDir = join(ownDir, 'service');
  return {
    root: dirname(dir),
    dir,
    db: dbPath(dir, ownDir),
    config: join(dir, 'config.toml'),
    globalConfig: join(globalHome(), 'config.toml'),
    serviceDir,
    pidFile: join(serviceDir, 'daemon.pid'),
    stateFile: join(serviceDir, 'state.json'),
    socket: socketPath(serviceDir),
    tokenFile: join(serviceDir, 'token'),
    daemonLog: join(serviceDir, 'daemon.log'),
    runsDir: join(ownDir, 'runs'),
  };
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * When `folder` is the top of a linked git worktree (its `.git` is a file naming a folder under the
 * repository's `.git/worktrees/`), the `.wg/` or `.workgraph/` of the repository's main folder, if any:
 * every worktree of a repository shares the one graph (seed 001). Read from files, no git process:
 * `wg` starts often. A submodule's `.git` file has no `commondir` and is left alone.
 */
export function mainWorktreeWgDir(folder: string): string | null {
  const pointer = readText(join(folder, '.git'))
    ?.match(/^gitdir: (.+)$/m)?.[1]
    ?.trim();
  if (!pointer) return null;
  const gitDir = resolve(folder, pointer);
  const common = readText(join(gitDir, 'commondir'))?.trim();
  if (!common) return null;
  const commonDir = resolve(gitDir, common);
  if (basename(commonDir) !== '.git') return null;
  return wgDirIn(dirname(commonDir));
}

/**
 * A project found for a command is one its user may trust (opening/folder-trust.ts); another user's
 * folder is refused, or, for a command that only reads, marked so that it is opened read-only.
 */
function trusted(paths: ProjectPaths, readOnly: boolean): ProjectPaths {
  const untrusted = untrustedFolder(paths.root, paths.dir, paths.globalConfig);
  if (untrusted === null) return paths;
  if (!readOnly) throw new WgError('forbidden', untrusted);
  return { ...paths, untrusted };
}

/** How a command's workgraph folder was found (`wg which` says it): --dir, WG_DIR, or walking up from cwd. */
export type FoundBy = 'dir' | 'env' | 'walk' | 'worktree';

/**
 * `--dir`, then WG_DIR, then the nearest `.wg/` or `.workgraph/` upward from `cwd` (upstream's search),
 * where a linked git worktree (one an agent works in, or a person's own) counts as its repository's
 * main folder. The person's global folder is never a project. Null when nothing names or holds one.
 */
export function findWgDir(options: { dir?: string; cwd?: string }): { wgDir: string; by: FoundBy } | null {
  const explicit = options.dir ?? process.env.WG_DIR;
  if (explicit) return { wgDir: wgDirFor(explicit), by: options.dir !== undefined ? 'dir' : 'env' };
  const home = globalHome();
  let current = resolve(options.cwd ?? process.cwd());
  for (;;) {
    const shared = mainWorktreeWgDir(current);
    if (shared !== null && shared !== home) return { wgDir: shared, by: 'worktree' };
    const candidate = wgDirIn(current);
    if (candidate !== null && candidate !== home) return { wgDir: candidate, by: 'walk' };
    const parent = dirname(current);
    if (parent === current) return null;
    current = parent;
  }
}

/** The project a command works on (findWgDir's), refused when it is not there or not the user's to write. */
export function locateProject(options: { dir?: string; cwd?: string; readOnly?: boolean }): ProjectPaths {
  const readOnly = options.readOnly === true;
  const found = findWgDir(options);
  if (found === null) throw new WgError('not_found', "no .wg/ or .workgraph/ here or above (run 'wg init' or pass --dir)");
  if ((found.by === 'dir' || found.by === 'env') && !existsSync(found.wgDir)) {
    throw new WgError('not_found', `no workgraph at ${found.wgDir} (run 'wg init')`);
  }
  return trusted(projectPaths(found.wgDir), readOnly);
}

export function ensureProjectDirs(paths: ProjectPaths): void {
  for (const dir of [paths.dir, dirname(paths.db), paths.serviceDir, paths.runsDir]) makeFolder(dir, 0o700);
  if (dirname(paths.serviceDir) !== paths.dir) ignoreOwnFolder(dirname(paths.serviceDir));
}
