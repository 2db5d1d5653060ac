/**
 * Menus as plain data, so the functions that build them are pure and testable under Node.
 * `electron-menu.ts` turns a template into an Electron menu and routes each action to a handler.
 */

/** What clicking an item asks the app to do. */
export type MenuAction =
  | { type: 'open-folder' }
  | { type: 'open-recent'; path: string }
  | { type: 'clear-recent' }
  | { type: 'open-window' }
  /** One project's coordinator (`folder`), or every open project's. */
  | { type: 'pause'; folder?: string }
  | { type: 'resume'; folder?: string }
  | { type: 'show-project'; folder: string }
  | { type: 'show-task'; folder: string; taskId: string }
  | { type: 'reveal-project' }
  | { type: 'open-log' }
  | { type: 'quit' };

/** The Electron roles this app uses (a subset of Electron's, checked against it in electron-menu.ts). */
type MenuRole =
  | 'appMenu'
  | 'windowMenu'
  | 'about'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export type MenuItemTemplate =
  | { kind: 'separator' }
  /** A line of information: shown, never clickable. */
  | { kind: 'label'; label: string }
  | { kind: 'action'; label: string; action: MenuAction; accelerator?: string; enabled?: boolean }
  | { kind: 'role'; role: MenuRole; label?: string }
  | { kind: 'submenu'; label: string; items: MenuItemTemplate[] };

export const separator: MenuItemTemplate = { kind: 'separator' };
