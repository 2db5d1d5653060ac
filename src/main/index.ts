/**
 * Electron main process: one window showing one of the open projects at a time, a tray icon, and
 * each open project's coordinator running in this process through the core's ProjectHost.
 */
import { app } from 'electron';
import { join } from 'node:path';
import { AppController } from './app-controller';
import { appPaths } from './app-paths';
import { registerAppScheme, serveRenderer } from './window/app-protocol';
import { APP_ORIGIN, originOf } from './window/content-policy';
import { folderArgument } from './projects/folder-argument';
import { registerOpHandlers } from './ipc/ipc-bridge';
import { registerOutputWatches } from './ipc/output-watch-ipc';
import { registerAppHandlers } from './ipc/app-ipc';
import { log, setupLogging } from './logging';
import { installSecurity } from './window/security';
import { electronSqliteBinding } from './wg-command/electron-sqlite';
import { cliPathFor } from './wg-command/wg-command';
import { installWgOnPath } from './wg-command/wg-on-path';
import { takeLoginShellPath } from './login-path/take-login-path';

/** Longest a quit waits for the project to close before leaving anyway. */
const QUIT_TIMEOUT_MS = 15_000;

// A fixed userData folder, the same in development and packaged builds (the single-instance lock lives there too).
app.setName('Workgraph');
app.setPath('userData', join(app.getPath('appData'), 'Workgraph'));
if (process.platform === 'win32') app.setAppUserModelId('com.workgraph.desktop');

const logFile = setupLogging();
const dev = !app.isPackaged;
// In development better-sqlite3 for Electron sits beside Node's build (predev makes it; electron-sqlite.ts says why).
const sqliteBinding = dev ? electronSqliteBinding(app.getAppPath()) : undefined;
if (sqliteBinding) process.env.WG_SQLITE_BINDING = sqliteBinding;
const devServerUrl = dev ? process.env.ELECTRON_RENDERER_URL : undefined;
const folderFromArgs = folderArgument(process.argv, process.cwd(), app.isPackaged);

// A second launch hands its folder to the first and exits.
if (!app.requestSingleInstanceLock({ folder: folderFromArgs })) {
  app.quit();
} else {
  registerAppScheme();
  void main();
}

async function main(): Promise<void> {
  // Started from the Dock or a launcher, the app has only the system's PATH: the person's own is read from their login
  // shell while Electron gets ready (a terminal's launch, as in development, has it already).
  const loginPath = app.isPackaged && process.platform !== 'win32' ? takeLoginShellPath(log) : Promise.resolve();
  const paths = appPaths();
  const devOrigin = devServerUrl ? originOf(devServerUrl) : null;
  const appOrigins = devOrigin ? [APP_ORIGIN, devOrigin] : [APP_ORIGIN];
  const controller = new AppController({
    paths,
    dev,
    logFile,
    rendererUrl: devServerUrl ?? `${APP_ORIGIN}/index.html`,
  });
  let pendingFolder: string | null = folderFromArgs;
  let ready = false;
  const openFolder = (folder: string) => {
    if (ready) void controller.openProject(folder);
    else pendingFolder = folder;
  };

  app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
    const folder = folderFrom(additionalData) ?? folderArgument(argv, workingDirectory, app.isPackaged);
    if (ready) controller.showWindow();
    if (folder !== null) openFolder(folder);
  });
  // macOS: a folder dropped on the Dock icon or opened with "Open With".
  app.on('open-file', (event, path) => {
    event.preventDefault();
    openFolder(path);
  });
  app.on('activate', () => {
    if (ready) controller.showWindow();
  });
  // With a tray the app lives on after its window closes, and keeps running the coordinator.
  app.on('window-all-closed', () => {
    if (!controller.hasTray() && process.platform !== 'darwin') app.quit();
  });
  handleQuit(controller);

  await app.whenReady();
  log.info(`Workgraph ${app.getVersion()} (Electron ${process.versions.electron}), log at ${logFile}`);
  await loginPath;
  try {
    const shim = installWgOnPath(paths.binDir, {
      execPath: process.execPath,
      cliPath: cliPathFor({ appPath: app.getAppPath(), packaged: app.isPackaged }),
      packaged: app.isPackaged,
      platform: process.platform,
      sqliteBinding,
    });
    log.info(`agents run ${shim}`);
  } catch (error) {
    log.error("could not put wg on the agents' PATH:", error);
  }
  installSecurity(appOrigins);
  serveRenderer(paths.rendererDir);
  registerOpHandlers({
    currentHost: () => controller.currentHost(),
    appOrigins,
    afterOp: (name) => controller.afterOp(name),
  });
  registerAppHandlers(controller, appOrigins);
  registerOutputWatches(() => controller.currentHost(), appOrigins);
  ready = true;
  await controller.start(pendingFolder);
}

/**
 * Quitting first closes the project: the coordinator stops and working agents are stopped or
 * left running per `service.quit_behavior`. Either way nothing is orphaned: agents run in their
 * own process groups and are killed as groups, or deliberately detached for the next launch to adopt.
 */
function handleQuit(controller: AppController): void {
  let phase: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'closed') return;
    event.preventDefault();
    if (phase === 'closing') return;
    phase = 'closing';
    const timeout = new Promise<void>((resolve) =>
      setTimeout(() => {
        log.warn(`project did not close within ${QUIT_TIMEOUT_MS} ms; quitting anyway`);
        resolve();
      }, QUIT_TIMEOUT_MS).unref(),
    );
    void Promise.race([controller.shutdown(), timeout])
      .catch((error: unknown) => log.error('shutdown failed:', error))
      .finally(() => {
        phase = 'closed';
        app.quit();
      });
  });
  // A terminal's Ctrl+C or a session logout: quit the same way.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

function folderFrom(data: unknown): string | null {
  if (typeof data !== 'object' || data === null || !('folder' in data)) return null;
  return typeof data.folder === 'string' ? data.folder : null;
}
