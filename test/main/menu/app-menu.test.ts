import { describe, expect, it } from 'vitest';
import { buildAppMenu, type AppMenuOptions } from '../../../src/main/menu/app-menu';
import type { MenuItemTemplate } from '../../../src/main/menu/menu-template';

const base: AppMenuOptions = { platform: 'linux', dev: false, recent: [], projectOpen: true };

function flatten(items: readonly MenuItemTemplate[]): MenuItemTemplate[] {
  return items.flatMap((item) => (item.kind === 'submenu' ? [item, ...flatten(item.items)] : [item]));
}
const roles = (items: readonly MenuItemTemplate[]) => flatten(items).flatMap((item) => (item.kind === 'role' ? [item.role] : []));
const topLabels = (items: readonly MenuItemTemplate[]) =>
  items.map((item) => (item.kind === 'submenu' ? item.label : item.kind === 'role' ? item.role : item.kind));

describe('buildAppMenu', () => {
  it('has File, Edit, View, Window and Help; macOS gets the app menu first', () => {
    expect(topLabels(buildAppMenu(base))).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help']);
    expect(topLabels(buildAppMenu({ ...base, platform: 'darwin' }))).toEqual(['appMenu', 'File', 'Edit', 'View', 'windowMenu', 'Help']);
  });

  it('opens folders with Cmd/Ctrl+O', () => {
    const open = flatten(buildAppMenu(base)).find((item) => item.kind === 'action' && item.action.type === 'open-folder');
    expect(open).toMatchObject({ label: 'Open Folder…', accelerator: 'CmdOrCtrl+O' });
  });

  it('has the usual editing, zoom and full-screen roles', () => {
    expect(roles(buildAppMenu(base))).toEqual(
      expect.arrayContaining([
        'undo',
        'redo',
        'cut',
        'copy',
        'paste',
        'selectAll',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
        'quit',
      ]),
    );
  });

  it('offers reload and developer tools in development only', () => {
    expect(roles(buildAppMenu(base))).not.toEqual(expect.arrayContaining(['reload']));
    expect(roles(buildAppMenu(base))).not.toContain('toggleDevTools');
    expect(roles(buildAppMenu({ ...base, dev: true }))).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('puts Quit in File except on macOS, where the app menu has it', () => {
    expect(roles(buildAppMenu({ ...base, platform: 'win32' }))).toContain('quit');
    expect(roles(buildAppMenu({ ...base, platform: 'darwin' }))).not.toContain('quit');
  });

  it('lists recent projects, with Clear disabled when there are none', () => {
    const menu = buildAppMenu({ ...base, recent: [{ path: '/w/api', label: 'api' }] });
    const recent = flatten(menu).find((item) => item.kind === 'submenu' && item.label === 'Open Recent');
    expect(recent).toEqual({
      kind: 'submenu',
      label: 'Open Recent',
      items: [
        { kind: 'action', label: 'api', action: { type: 'open-recent', path: '/w/api' } },
        { kind: 'separator' },
        { kind: 'action', label: 'Clear Recently Opened', action: { type: 'clear-recent' }, enabled: true },
      ],
    });
    const empty = flatten(buildAppMenu(base)).find((item) => item.kind === 'action' && item.action.type === 'clear-recent');
    expect(empty).toMatchObject({ enabled: false });
  });
});
