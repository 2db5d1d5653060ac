import { separator, type MenuItemTemplate } from './menu-template';

export interface AppMenuOptions {
  platform: NodeJS.Platform;
  /** Reload and developer tools are for development builds only. */
  dev: boolean;
  recent: ReadonlyArray<{ path: string; label: string }>;
  projectOpen: boolean;
}

/** The native application menu, with the usual shortcuts. Roles bring their platform accelerators. */
export function buildAppMenu(options: AppMenuOptions): MenuItemTemplate[] {
  const mac = options.platform === 'darwin';
  const menu: MenuItemTemplate[] = [];
  // On macOS the first menu is the app menu (About, Hide, Quit …); elsewhere Quit lives in File.
  if (mac) menu.push({ kind: 'role', role: 'appMenu' });
  menu.push(fileMenu(options, mac), editMenu(), viewMenu(options.dev), { kind: 'role', role: 'windowMenu' }, helpMenu());
  return menu;
}

function fileMenu(options: AppMenuOptions, mac: boolean): MenuItemTemplate {
  const recent: MenuItemTemplate[] = options.recent.map((entry) => ({
    kind: 'action',
    label: entry.label,
    action: { type: 'open-recent', path: entry.path },
  }));
  recent.push(separator, {
    kind: 'action',
    label: 'Clear Recently Opened',
    action: { type: 'clear-recent' },
    enabled: options.recent.length > 0,
  });
  const items: MenuItemTemplate[] = [
    { kind: 'action', label: 'Open Folder…', accelerator: 'CmdOrCtrl+O', action: { type: 'open-folder' } },
    { kind: 'submenu', label: 'Open Recent', items: recent },
    separator,
    { kind: 'action', label: 'Reveal Project Folder', action: { type: 'reveal-project' }, enabled: options.projectOpen },
    separator,
    { kind: 'role', role: 'close' },
  ];
  if (!mac) items.push({ kind: 'role', role: 'quit' });
  return { kind: 'submenu', label: 'File', items };
}

function editMenu(): MenuItemTemplate {
  return {
    kind: 'submenu',
    label: 'Edit',
    items: [
      { kind: 'role', role: 'undo' },
      { kind: 'role', role: 'redo' },
      separator,
      { kind: 'role', role: 'cut' },
      { kind: 'role', role: 'copy' },
      { kind: 'role', role: 'paste' },
      { kind: 'role', role: 'selectAll' },
    ],
  };
}

function viewMenu(dev: boolean): MenuItemTemplate {
  const items: MenuItemTemplate[] = dev
    ? [{ kind: 'role', role: 'reload' }, { kind: 'role', role: 'forceReload' }, { kind: 'role', role: 'toggleDevTools' }, separator]
    : [];
  items.push({ kind: 'role', role: 'resetZoom' }, { kind: 'role', role: 'zoomIn' }, { kind: 'role', role: 'zoomOut' }, separator, {
    kind: 'role',
    role: 'togglefullscreen',
  });
  return { kind: 'submenu', label: 'View', items };
}

function helpMenu(): MenuItemTemplate {
  return { kind: 'submenu', label: 'Help', items: [{ kind: 'action', label: 'Open Log File', action: { type: 'open-log' } }] };
}
