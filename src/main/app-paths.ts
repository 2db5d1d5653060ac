import { app } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the built app's parts are, in development and packaged alike. */
export interface AppPaths {
  /** out/preload/index.cjs: CommonJS, as a sandboxed preload must be. */
  preload: string;
  /** out/renderer, served as app://workgraph/. */
  rendererDir: string;
  /** The tray and app icons (resources/, shipped inside app.asar). */
  iconsDir: string;
  recentProjectsFile: string;
  /** The projects open at the last quit, reopened at start. */
  openProjectsFile: string;
  windowStateFile: string;
  /** Holds the `wg` shim put first on agents' PATH. */
  binDir: string;
}

export function appPaths(): AppPaths {
  // Built as out/main/index.js; the other outputs sit beside it.
  const outDir = fileURLToPath(new URL('..', import.meta.url));
  const userData = app.getPath('userData');
  return {
    preload: join(outDir, 'preload', 'index.cjs'),
    rendererDir: join(outDir, 'renderer'),
    iconsDir: join(app.getAppPath(), 'resources'),
    recentProjectsFile: join(userData, 'recent-projects.json'),
    openProjectsFile: join(userData, 'open-projects.json'),
    windowStateFile: join(userData, 'window-state.json'),
    binDir: join(userData, 'bin'),
  };
}
