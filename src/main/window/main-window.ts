import { BrowserWindow } from 'electron';
import { join } from 'node:path';
import { MIN_SIZE, type WindowPlacement } from './window-bounds';

export interface MainWindowOptions {
  preload: string;
  iconsDir: string;
  /** The renderer: app://workgraph/index.html, or the dev server in development. */
  url: string;
  placement: WindowPlacement;
  dev: boolean;
}

/** The app window, locked down: isolated sandboxed renderer, no Node, preload API only. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options.placement.bounds,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Workgraph',
    show: false,
    // Linux takes the window icon from here; macOS and Windows from the app bundle.
    ...(process.platform === 'linux' ? { icon: join(options.iconsDir, 'icon.png') } : {}),
    webPreferences: {
      preload: options.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      devTools: options.dev,
      spellcheck: false,
    },
  });
  if (options.placement.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(options.url);
  return window;
}
