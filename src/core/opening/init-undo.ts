import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ProjectPaths } from '../project';

export interface InitUndo {
  /** Removes what the init made since this was recorded, and puts back a config.toml it changed. */
  undo(): void;
}

/**
 * What `wg init` may make, noted before it makes anything, so that an init that fails part way leaves the
 * folder as it found it: a folder or file that was not there is removed, one that was there is left (its
 * config.toml put back as it was). A database's -wal/-shm beside a graph.db that was already there belong to
 * whoever uses that database, and are never touched.
 */
export function recordBeforeInit(paths: ProjectPaths): InitUndo {
  if (!existsSync(paths.dir)) return { undo: () => rmSync(paths.dir, { recursive: true, force: true }) };
  const ownDir = dirname(paths.serviceDir);
  const candidates = [ownDir, join(ownDir, '.gitignore'), dirname(paths.db), paths.serviceDir, paths.runsDir, paths.config, paths.db];
  if (!existsSync(paths.db)) candidates.push(`${paths.db}-wal`, `${paths.db}-shm`, `${paths.db}-journal`);
  const made = candidates.filter((path) => !existsSync(path));
  const config = existsSync(paths.config) ? readFileSync(paths.config) : null;
  return {
    undo() {
      for (const path of made) rmSync(path, { recursive: true, force: true });
      if (config !== null && existsSync(paths.config) && !readFileSync(paths.config).equals(config)) writeFileSync(paths.config, config);
    },
  };
}
