import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trayIconFor, type PanelTheme, type TrayIconState } from '../../../src/main/tray/tray-icon';
import { NO_PROJECT, type TrayState } from '../../../src/main/tray/tray-state';

const RESOURCES = fileURLToPath(new URL('../../../resources', import.meta.url));
const running: TrayState = {
  project: 'shop',
  folder: '/p/shop',
  service: 'running',
  working: 0,
  failedTasks: 0,
  waiting: 0,
  needsYou: [],
  quitBehavior: 'keep-agents',
};
const iconState = (state: TrayState) => trayIconFor(state, 'light').state;

describe('trayIconFor', () => {
  it('shows each state', () => {
    expect(iconState(NO_PROJECT)).toBe('stopped');
    expect(iconState({ ...running, service: 'stopped' })).toBe('stopped');
    expect(iconState(running)).toBe('running');
    expect(iconState({ ...running, working: 2 })).toBe('working');
    expect(iconState({ ...running, service: 'paused', working: 2 })).toBe('paused');
    expect(iconState({ ...running, failedTasks: 1 })).toBe('failure');
  });

  it('puts a failure before everything else', () => {
    expect(iconState({ ...running, service: 'paused', working: 3, failedTasks: 1 })).toBe('failure');
    expect(iconState({ ...running, service: 'stopped', failedTasks: 1 })).toBe('failure');
  });

  it('over several projects, shows the one most in need of a look', () => {
    const paused = { ...running, folder: '/p/b', service: 'paused' as const };
    expect(trayIconFor([paused, running], 'light').state).toBe('running');
    expect(trayIconFor([paused, { ...running, working: 1 }], 'light').state).toBe('working');
    expect(
      trayIconFor(
        [
          { ...paused, failedTasks: 1 },
          { ...running, working: 1 },
        ],
        'light',
      ).state,
    ).toBe('failure');
    expect(trayIconFor([paused, paused], 'light').state).toBe('paused');
    expect(trayIconFor([], 'light').state).toBe('stopped');
  });

  it('names the file by state and panel theme', () => {
    expect(trayIconFor({ ...running, working: 1 }, 'dark').file).toBe('tray-working-dark.png');
    expect(trayIconFor(running, 'light').file).toBe('tray-running-light.png');
  });

  it('has a committed 1x and 2x PNG for every state and theme', () => {
    const states: TrayIconState[] = ['stopped', 'running', 'working', 'paused', 'failure'];
    const themes: PanelTheme[] = ['light', 'dark'];
    for (const state of states) {
      for (const theme of themes) {
        const base = join(RESOURCES, `tray-${state}-${theme}`);
        expect(existsSync(`${base}.png`), `${base}.png`).toBe(true);
        expect(existsSync(`${base}@2x.png`), `${base}@2x.png`).toBe(true);
      }
    }
  });
});
