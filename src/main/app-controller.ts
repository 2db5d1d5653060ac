import { app, type BrowserWindow, dialog, Menu, shell } from 'electron';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { OpName } from '../shared/ops/registry';
import type { ProjectsOverview } from '../shared/projects';
import { EVENT_CHANNELS } from '../preload/ipc-contract';
import { buildAppMenu } from './menu/app-menu';
import type { AppPaths } from './app-paths';
import { AppTray } from './tray/app-tray';
import { toElectronMenu } from './menu/electron-menu';
import { toApiError } from './ipc/ipc-errors';
import { log } from './logging';
import { inBackground } from '../core/engine-log';
import { createMainWindow } from './window/main-window';
import type { MenuAction } from './menu/menu-template';
import { showNotices } from './notifications/notifier';
import type { Notice } from './notifications/notify-decision';
import { connectCoordinator, type ProjectHost } from './projects/project-host';
import { ProjectSession, type SessionOutputs } from './projects/project-session';
import { readOpenProjects, writeOpenProjects } from './projects/open-projects-file';
import { ProjectSet } from './projects/project-set';
import { RecentProjectsStore } from './projects/recent-projects-store';
import { recentLabels } from './projects/recent-projects';
import { announceUpstreamImport } from './projects/upstream-import';
import { initialPlacement, rememberWindowState } from './window/window-state';

export interface ControllerOptions {
  paths: AppPaths;
  dev: boolean;
  /** Where the window loads the renderer from. */
  rendererUrl: string;
  logFile: string;
}

/** How soon after a change the window hears about the open projects (ms): bursts make one message. */
const OVERVIEW_DELAY_MS = 250;

/**
 * Ties the window, menus, tray and the open projects together. Several projects can be open, each
 * with its own coordinator; the window shows one at a time (the current one), and the All projects
 * view, the tray and notifications cover them all.
 */
export class AppController {
  private readonly projects: ProjectSet<ProjectSession>;
  private window: BrowserWindow | null = null;
  private tray: AppTray | null = null;
  private readonly recent: RecentProjectsStore;
  private overviewTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ControllerOptions) {
    this.recent = new RecentProjectsStore(options.paths.recentProjectsFile);
    this.projects = new ProjectSet((folder) => ProjectSession.open(folder, this.outputsFor(folder)));
  }

  currentHost(): ProjectHost | null {
    return this.projects.current()?.host ?? null;
  }

  hasTray(): boolean {
    return this.tray !== null;
  }

  async overview(): Promise<ProjectsOverview> {
    const current = this.projects.current();
    return { projects: await Promise.all(this.projects.list().map((session) => session.summary(session === current))) };
  }

  /** Reopens the projects open at the last quit (or the last recent one), then `folder`, and shows the window. */
  async start(folder: string | null): Promise<void> {
    this.createTray();
    this.rebuildMenu();
    const remembered = readOpenProjects(this.options.paths.openProjectsFile).filter(isDirectory);
    const fallback = this.recent.list().find((entry) => isDirectory(entry.path))?.path;
    const initial = remembered.length > 0 ? remembered : fallback ? [fallback] : [];
    for (const path of folder === null ? initial : [...initial, folder]) await this.openProject(path);
    this.showWindow();
    if (this.projects.current() === null) await this.promptOpenFolder();
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
    // The title names the shown project; the page's own <title> must not replace it.
    window.on('page-title-updated', (event) => event.preventDefault());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    this.window = window;
    this.updateTitle();
  }

  /** File › Open Folder: the chosen project is added to the open ones (or shown, if open already). */
  async promptOpenFolder(): Promise<void> {
    const options: Electron.OpenDialogOptions = { title: 'Open Project Folder', properties: ['openDirectory', 'createDirectory'] };
    const parent = this.window && !this.window.isDestroyed() ? this.window : null;
    const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
    const folder = result.filePaths[0];
    if (!result.canceled && folder !== undefined) await this.openProject(folder);
  }

  /** Opens a project folder (creating its `.workgraph/` if missing) beside the others, and shows it. */
  async openProject(folder: string): Promise<void> {
    const path = resolve(folder);
    if (!isDirectory(path)) {
      this.recent.remove(path);
      this.rebuildMenu();
      dialog.showErrorBox('Could not open project', `${path} is not a folder (it may have been moved or deleted).`);
      return;
    }
    let opened: { project: ProjectSession; opened: boolean };
    try {
      opened = await this.projects.openOrShow(path);
    } catch (error) {
      log.error(`could not open ${path}:`, error);
      dialog.showErrorBox('Could not open project', toApiError(error).error);
      return;
    }
    if (opened.opened) log.info(`opened ${path}`);
    this.recent.touch(path);
    app.addRecentDocument(path);
    await this.projectsChanged();
    // A folder upstream workgraph uses was imported when first opened: say so (once; nothing otherwise).
    if (opened.opened) await announceUpstreamImport(opened.project, this.window);
  }

  /**
   * Opens a coordinator on another machine beside the local projects and shows it. The connection
   * is made (and the token checked) before anything changes, so a bad address or token changes nothing.
   */
  async connect(url: string, token: string): Promise<void> {
    const host = await connectCoordinator(url, token);
    const opened = await this.projects.openOrShow(host.where, async (where) => ProjectSession.ofHost(host, this.outputsFor(where)));
    // Already open: the new connection is not needed.
    if (!opened.opened) await host.close({ stopAgents: false });
    else log.info(`connected to the coordinator at ${host.where}`);
    await this.projectsChanged();
  }

  /** Shows another open project in the window. */
  /** One task of a project, shown: its project switched to, the window brought up and the page asked to open the task. */
  private async showTask(folder: string, taskId: string): Promise<void> {
    await this.switchProject(folder);
    this.showWindow();
    this.send(EVENT_CHANNELS.showTask, taskId);
  }

  async switchProject(folder: string): Promise<void> {
    if (this.projects.show(projectKey(folder))) await this.projectsChanged();
  }

  /** Closes one project: its coordinator stops (agents per its quit behavior); the others go on. */
  async closeProject(folder: string): Promise<void> {
    await this.projects.close(projectKey(folder)).catch((error: unknown) => log.error(`closing ${folder} failed:`, error));
    await this.projectsChanged();
  }

  /** Pauses or resumes one project's coordinator, or every open project's. */
  async setPaused(folder: string | undefined, paused: boolean): Promise<void> {
    const targets = folder === undefined ? this.projects.list() : [this.projects.get(projectKey(folder))].filter((p) => p !== undefined);
    for (const session of targets) {
      if (paused) await session.pause();
      else await session.resume();
    }
    this.scheduleOverview();
  }

  /** Closes every project (each per its quit behavior) and the tray: the last step before quitting. */
  async shutdown(): Promise<void> {
    this.saveOpenProjects();
    clearTimeout(this.overviewTimer);
    await this.projects.closeAll((folder, error) => log.error(`closing ${folder} failed:`, error));
    this.tray?.destroy();
    this.tray = null;
  }

  async handleAction(action: MenuAction): Promise<void> {
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
      case 'show-project':
        await this.switchProject(action.folder);
        this.showWindow();
        return;
      case 'show-task':
        await this.showTask(action.folder, action.taskId);
        return;
      case 'pause':
      case 'resume':
        await this.setPaused(action.folder, action.type === 'pause');
        return;
      case 'reveal-project': {
        const current = this.projects.current();
        // A coordinator elsewhere has no folder here to show.
        if (current && !current.host.remote) void shell.openPath(current.folder);
        return;
      }
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
      const current = this.projects.current();
      void current?.readQuitBehavior().then(() => current.scheduleRefresh());
    }
  }

  /** What a project's session sends out: store events reach the window only while it shows that project. */
  private outputsFor(folder: string): SessionOutputs {
    return {
      send: (channel, payload) => {
        if (this.projects.current()?.folder === folder) this.send(channel, payload);
      },
      trayChanged: () => {
        inBackground(this.updateTray(), (m) => log.error(m), 'the tray');
        this.scheduleOverview();
      },
      notify: (notices) => this.notify(folder, notices),
    };
  }

  private notify(folder: string, notices: Notice[]): void {
    const name = this.projects.get(folder)?.name ?? folder;
    // With several projects open, each notice says which one.
    const named = this.projects.list().length > 1 ? notices.map((n) => ({ ...n, title: `${name}: ${n.title}` })) : notices;
    showNotices(named, (notice) => {
      const shown = notice.taskId ? this.showTask(folder, notice.taskId) : this.switchProject(folder).then(() => this.showWindow());
      inBackground(shown, (m) => log.error(m), 'showing what a notice is about');
    });
  }

  /** The open projects or the shown one changed: menus, title, tray, the remembered list, and the page. */
  private async projectsChanged(): Promise<void> {
    this.saveOpenProjects();
    this.rebuildMenu();
    this.updateTitle();
    await this.updateTray();
    this.scheduleOverview();
    // The page holds the previously shown project's graph: start it afresh on the current one.
    if (this.window && !this.window.isDestroyed()) this.window.webContents.reload();
    else this.showWindow();
  }

  private async sendOverview(): Promise<void> {
    this.send(EVENT_CHANNELS.projects, await this.overview());
  }

  private scheduleOverview(): void {
    if (this.overviewTimer !== undefined) return;
    this.overviewTimer = setTimeout(() => {
      this.overviewTimer = undefined;
      inBackground(this.sendOverview(), (m) => log.error(m), 'the projects overview');
    }, OVERVIEW_DELAY_MS);
  }

  private saveOpenProjects(): void {
    try {
      writeOpenProjects(
        this.options.paths.openProjectsFile,
        this.projects.list().map((p) => p.folder),
        this.projects.current()?.folder ?? null,
      );
    } catch (error) {
      log.warn('could not remember the open projects:', error);
    }
  }

  private send(channel: string, payload: unknown): void {
    const contents = this.window && !this.window.isDestroyed() ? this.window.webContents : null;
    if (contents && !contents.isDestroyed()) contents.send(channel, payload);
  }

  private createTray(): void {
    try {
      this.tray = new AppTray(this.options.paths.iconsDir, [], (action) =>
        inBackground(this.handleAction(action), (m) => log.error(m), action.type),
      );
    } catch (error) {
      // Some Linux desktops have no tray; the app then quits when its window closes.
      log.warn('no tray icon:', error);
      this.tray = null;
    }
  }

  private async updateTray(): Promise<void> {
    this.tray?.update(await Promise.all(this.projects.list().map((session) => session.trayState())));
  }

  private updateTitle(): void {
    const current = this.projects.current();
    if (this.window && !this.window.isDestroyed()) this.window.setTitle(current ? `${current.name} — Workgraph` : 'Workgraph');
  }

  private rebuildMenu(): void {
    const template = buildAppMenu({
      platform: process.platform,
      dev: this.options.dev,
      recent: recentLabels(this.recent.list()),
      projectOpen: this.projects.current() !== null,
    });
    Menu.setApplicationMenu(
      toElectronMenu(template, (action) => inBackground(this.handleAction(action), (m) => log.error(m), action.type)),
    );
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** How the open projects are keyed: a folder by its absolute path, a coordinator elsewhere by its address. */
function projectKey(folder: string): string {
  return /^https?:\/\//.test(folder) ? folder : resolve(folder);
}
