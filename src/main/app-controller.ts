import { app, BrowserWindow, dialog, Menu, shell } from 'electron';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OpName } from '../shared/ops/registry';
import { buildAppMenu } from './app-menu';
import type { AppPaths } from './app-paths';
import { AppTray } from './app-tray';
import { toElectronMenu } from './electron-menu';
import { toApiError } from './ipc-errors';
import { log } from './logging';
import { createMainWindow } from './main-window';
import type { MenuAction } from './menu-template';
import { showNotices } from './notifier';
import type { ProjectHost } from './project-host';
import { ProjectSession } from './project-session';
import { RecentProjectsStore } from './recent-projects-store';
import { recentLabels } from './recent-projects';
import { NO_PROJECT, type TrayState } from './tray-state';
import { announceUpstreamImport } from './upstream-import';
import { initialPlacement, rememberWindowState } from './window-state';

export interface ControllerOptions {
  paths: AppPaths;
  dev: boolean;
  /** Where the window loads the renderer from. */
  rendererUrl: string;
  logFile: string;
}

/** Ties the window, menus, tray and the open project together. One project is open at a time. */
export class AppController {
  private session: ProjectSession | null = null;
  private window: BrowserWindow | null = null;
  private tray: AppTray | null = null;
  private readonly recent: RecentProjectsStore;
  /** Opening and closing projects one after the other, never interleaved. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: ControllerOptions) {
    this.recent = new RecentProjectsStore(options.paths.recentProjectsFile);
  }

  currentHost(): ProjectHost | null {
    return this.session?.host ?? null;
  }

  hasTray(): boolean {
    return this.tray !== null;
  }

  /** Opens `folder` (or the last project that still exists), then shows the window. */
  async start(folder: string | null): Promise<void> {
    this.createTray();
    this.rebuildMenu();
    const initial = folder ?? this.recent.list().find((entry) => isDirectory(entry.path))?.path ?? null;
    if (initial !== null) await this.openProject(initial);
    this.showWindow();
    if (this.session === null) await this.promptOpenFolder();
  }

  showWindow(): void {
    if (this.window && !this.window.isDestroyed()) {
      if (this.window.isMinimized()) this.window.restore();
      this.window.show();
      this.window.focus();
      return;
    }
    const window = createMainWindow({
      preload: this.options.paths.preload,
      iconsDir: this.options.paths.iconsDir,
      url: this.options.rendererUrl,
      placement: initialPlacement(this.options.paths.windowStateFile),
      dev: this.options.dev,
    });
    rememberWindowState(window, this.options.paths.windowStateFile);
    // The title names the open project; the page's own <title> must not replace it.
    window.on('page-title-updated', (event) => event.preventDefault());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    this.window = window;
    this.updateTitle();
  }

  async promptOpenFolder(): Promise<void> {
    const options: Electron.OpenDialogOptions = { title: 'Open Project Folder', properties: ['openDirectory', 'createDirectory'] };
    const parent = this.window && !this.window.isDestroyed() ? this.window : null;
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    const folder = result.filePaths[0];
    if (!result.canceled && folder !== undefined) await this.openProject(folder);
  }

  /** Opens a project folder, creating its `.workgraph/` if missing; the previous project is closed first. */
  openProject(folder: string): Promise<void> {
    const run = this.queue.then(() => this.switchTo(resolve(folder)));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Closes the open project (per its quit behavior) and the tray: the last step before quitting. */
  async shutdown(): Promise<void> {
    const run = this.queue.then(() => this.closeSession());
    this.queue = run.catch(() => undefined);
    await run;
    this.tray?.destroy();
    this.tray = null;
  }

  handleAction(action: MenuAction): void {
    switch (action.type) {
      case 'open-folder':
        void this.promptOpenFolder();
        return;
      case 'open-recent':
        void this.openProject(action.path);
        return;
      case 'clear-recent':
        this.recent.clear();
        app.clearRecentDocuments();
        this.rebuildMenu();
        return;
      case 'open-window':
        this.showWindow();
        return;
      case 'pause':
        this.session?.pause();
        return;
      case 'resume':
        this.session?.resume();
        return;
      case 'reveal-project':
        if (this.session) void shell.openPath(this.session.folder);
        return;
      case 'open-log':
        void shell.openPath(this.options.logFile);
        return;
      case 'quit':
        app.quit();
        return;
    }
  }

  afterOp(name: OpName): void {
    // Settings and service state are not store changes; the tray's labels depend on them.
    if (name.startsWith('config:') || name.startsWith('service:')) {
      void this.session?.readQuitBehavior().then(() => this.session?.scheduleRefresh());
    }
  }

  private async switchTo(folder: string): Promise<void> {
    if (this.session?.folder === folder) {
      this.showWindow();
      return;
    }
    if (!isDirectory(folder)) {
      this.recent.remove(folder);
      this.rebuildMenu();
      dialog.showErrorBox('Could not open project', `${folder} is not a folder (it may have been moved or deleted).`);
      return;
    }
    await this.closeSession();
    try {
      this.session = await ProjectSession.open(folder, {
        send: (channel, payload) => this.send(channel, payload),
        trayChanged: (state) => this.updateTray(state),
        notify: (notices) => showNotices(notices, () => this.showWindow()),
      });
    } catch (error) {
      log.error(`could not open ${folder}:`, error);
      dialog.showErrorBox('Could not open project', toApiError(error).error);
      return;
    }
    log.info(`opened ${folder}`);
    this.recent.touch(folder);
    app.addRecentDocument(folder);
    this.rebuildMenu();
    this.updateTitle();
    this.updateTray(this.session.trayState());
    // The page may hold the previous project's graph (or "no project" errors): start it afresh.
    if (this.window && !this.window.isDestroyed()) this.window.webContents.reload();
    else this.showWindow();
    await announceUpstreamImport(this.session, this.window);
  }

  private async closeSession(): Promise<void> {
    const session = this.session;
    if (session === null) return;
    this.session = null;
    try {
      await session.close();
    } catch (error) {
      log.error(`closing ${session.folder} failed:`, error);
    }
    this.updateTitle();
    this.updateTray(NO_PROJECT);
    this.rebuildMenu();
  }

  private send(channel: string, payload: unknown): void {
    const contents = this.window && !this.window.isDestroyed() ? this.window.webContents : null;
    if (contents && !contents.isDestroyed()) contents.send(channel, payload);
  }

  private createTray(): void {
    try {
      this.tray = new AppTray(this.options.paths.iconsDir, NO_PROJECT, (action) => this.handleAction(action));
    } catch (error) {
      // Some Linux desktops have no tray; the app then quits when its window closes.
      log.warn('no tray icon:', error);
      this.tray = null;
    }
  }

  private updateTray(state: TrayState): void {
    this.tray?.update(state);
  }

  private updateTitle(): void {
    if (this.window && !this.window.isDestroyed()) this.window.setTitle(this.session ? `${this.session.name} — Workgraph` : 'Workgraph');
  }

  private rebuildMenu(): void {
    const template = buildAppMenu({
      platform: process.platform, dev: this.options.dev, recent: recentLabels(this.recent.list()), projectOpen: this.session !== null,
    });
    Menu.setApplicationMenu(toElectronMenu(template, (action) => this.handleAction(action)));
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
