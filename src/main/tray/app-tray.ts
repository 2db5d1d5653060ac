import { nativeImage, nativeTheme, Tray } from 'electron';
import { join } from 'node:path';
import { toElectronMenu } from '../menu/electron-menu';
import type { MenuAction } from '../menu/menu-template';
import { buildTrayMenu } from './tray-menu';
import { trayIconFor, type PanelTheme } from './tray-icon';
import { overviewLine, type TrayState } from './tray-state';

/** The tray icon and its menu, redrawn from the open projects' states whenever they (or the system theme) change. */
export class AppTray {
  private readonly tray: Tray;
  private state: readonly TrayState[];
  private shownKey = '';

  constructor(
    private readonly iconsDir: string,
    initial: readonly TrayState[],
    private readonly onAction: (action: MenuAction) => void,
  ) {
    this.state = initial;
    this.tray = new Tray(this.image());
    nativeTheme.on('updated', () => this.render(true));
    this.render(true);
  }

  /** One state per open project. */
  update(state: readonly TrayState[]): void {
    this.state = state;
    this.render(false);
  }

  destroy(): void {
    this.tray.destroy();
  }

  private render(force: boolean): void {
    if (this.tray.isDestroyed()) return;
    // Rebuilding a native menu on every store change would flicker an open menu; skip when unchanged.
    const key = JSON.stringify(this.state);
    if (!force && key === this.shownKey) return;
    this.shownKey = key;
    this.tray.setImage(this.image());
    this.tray.setToolTip(`Workgraph — ${overviewLine(this.state)}`);
    this.tray.setContextMenu(toElectronMenu(buildTrayMenu(this.state), this.onAction));
  }

  private image(): Electron.NativeImage {
    const { file } = trayIconFor(this.state, panelTheme());
    // createFromPath picks up the @2x sibling by itself on high-density screens.
    return nativeImage.createFromPath(join(this.iconsDir, file));
  }
}

/**
 * Menu bars and panels follow the system theme on macOS and Windows; on Linux there is no way to
 * ask the panel, and the common desktops ship dark panels, so the light glyph is the safer guess.
 */
function panelTheme(): PanelTheme {
  if (process.platform === 'linux') return 'dark';
  return nativeTheme.shouldUseDarkColors ? 'dark' : 'light';
}
