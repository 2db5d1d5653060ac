import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuAction, MenuItemTemplate } from './menu-template';

/** Turns a pure menu template into Electron's, sending each click to `onAction`. */
export function toElectronMenu(template: readonly MenuItemTemplate[], onAction: (action: MenuAction) => void): Menu {
  return Menu.buildFromTemplate(template.map((item) => toOptions(item, onAction)));
}

function toOptions(item: MenuItemTemplate, onAction: (action: MenuAction) => void): MenuItemConstructorOptions {
  switch (item.kind) {
    case 'separator':
      return { type: 'separator' };
    case 'label':
      return { label: item.label, enabled: false };
    case 'action':
      return {
        label: item.label,
        enabled: item.enabled ?? true,
        ...(item.accelerator === undefined ? {} : { accelerator: item.accelerator }),
        click: () => onAction(item.action),
      };
    case 'role':
      return item.label === undefined ? { role: item.role } : { role: item.role, label: item.label };
    case 'submenu':
      return { label: item.label, submenu: item.items.map((child) => toOptions(child, onAction)) };
  }
}
