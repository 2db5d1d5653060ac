import { existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { WgError } from '../shared/errors';

export const WG_DIR_NAME = '.workgraph';

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
}

export function globalHome(): string {
  return process.env.WG_HOME ? resolve(process.env.WG_HOME) : join(homedir(), WG_DIR_NAME);
}

/** Unix socket paths are limited to ~100 bytes; a deep project folder gets one in the temp folder. */
function socketPath(serviceDir: string): string {
  const preferred = join(serviceDir, 'daemon.sock');
  if (Buffer.byteLength(preferred) < 100) return preferred;
  return join(tmpdir(), `wg-${createHash('sha256').update(serviceDir).digest('hex').slice(0, 16)}.sock`);
}

export function projectPaths(wgDir: string): ProjectPaths {
  const dir = resolve(wgDir);
  const serviceDir = join(dir, 'service');
  return {
    root: dirname(dir),
    dir,
    db: join(dir, 'graph.db'),
    config: join(dir, 'config.toml'),
    globalConfig: join(globalHome(), 'config.toml'),
    serviceDir,
    pidFile: join(serviceDir, 'daemon.pid'),
    stateFile: join(serviceDir, 'state.json'),
    socket: socketPath(serviceDir),
    tokenFile: join(serviceDir, 'token'),
    daemonLog: join(serviceDir, 'daemon.log'),
    runsDir: join(dir, 'runs'),
  };
}

/** `--dir`, then WG_DIR, then the nearest `.workgraph/` upward from `cwd`. */
export function locateProject(options: { dir?: string; cwd?: string }): ProjectPaths {
  const explicit = options.dir ?? process.env.WG_DIR;
  if (explicit) {
    const path = resolve(explicit);
    // Accept either the project folder or its .workgraph folder.
    const wgDir = path.endsWith(WG_DIR_NAME) ? path : join(path, WG_DIR_NAME);
    if (!existsSync(wgDir)) throw new WgError('not_found', `no workgraph at ${wgDir} (run 'wg init')`);
    return projectPaths(wgDir);
  }
  let current = resolve(options.cwd ?? process.cwd());
  for (;;) {
    const candidate = join(current, WG_DIR_NAME);
    if (existsSync(candidate) && candidate !== globalHome()) return projectPaths(candidate);
    const parent = dirname(current);
    if (parent === current) break;
    current = parent;
  }
  throw new WgError('not_found', "no .workgraph/ here or above (run 'wg init' or pass --dir)");
}

export function ensureProjectDirs(paths: ProjectPaths): void {
  for (const dir of [paths.dir, paths.serviceDir, paths.runsDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
}
