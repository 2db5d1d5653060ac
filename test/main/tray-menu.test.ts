import { describe, expect, it } from 'vitest';
import type { MenuItemTemplate } from '../../src/main/menu-template';
import { buildTrayMenu } from '../../src/main/tray-menu';
import { NO_PROJECT, statusLine, trayStateFrom, type TrayState } from '../../src/main/tray-state';

const running: TrayState = { project: 'shop', service: 'running', working: 0, failedTasks: 0, quitBehavior: 'keep-agents' };

const labels = (items: MenuItemTemplate[]) => items.map((item) => ('label' in item ? item.label : item.kind));
const actionItem = (items: MenuItemTemplate[], type: string) =>
  items.find((item) => item.kind === 'action' && item.action.type === type);

describe('buildTrayMenu', () => {
  it('starts with the status line, then Pause, Open Window and Quit', () => {
    expect(labels(buildTrayMenu(running))).toEqual(['shop: running', 'separator', 'Pause', 'Open Window', 'separator', 'Quit Workgraph']);
    expect(buildTrayMenu(running)[0]).toEqual({ kind: 'label', label: 'shop: running' });
  });

  it('offers Resume instead of Pause while paused', () => {
    const menu = buildTrayMenu({ ...running, service: 'paused' });
    expect(actionItem(menu, 'resume')).toMatchObject({ label: 'Resume' });
    expect(actionItem(menu, 'pause')).toBeUndefined();
  });

  it('greys out Pause when no coordinator runs', () => {
    expect(actionItem(buildTrayMenu(NO_PROJECT), 'pause')).toMatchObject({ enabled: false });
    expect(actionItem(buildTrayMenu({ ...running, service: 'stopped' }), 'pause')).toMatchObject({ enabled: false });
    expect(actionItem(buildTrayMenu(running), 'pause')).toMatchObject({ enabled: true });
  });

  it('shows agents at work and failures in the status line', () => {
    const menu = buildTrayMenu({ ...running, working: 3, failedTasks: 1 });
    expect(menu[0]).toEqual({ kind: 'label', label: 'shop: running · 3 agents working · 1 task failed' });
  });

  it('says what Quit does with working agents', () => {
    expect(actionItem(buildTrayMenu({ ...running, working: 2 }), 'quit')).toMatchObject({ label: 'Quit (Agents Keep Running)' });
    expect(actionItem(buildTrayMenu({ ...running, working: 2, quitBehavior: 'stop-agents' }), 'quit')).toMatchObject({ label: 'Quit and Stop Agents' });
    expect(actionItem(buildTrayMenu({ ...running, quitBehavior: 'stop-agents' }), 'quit')).toMatchObject({ label: 'Quit Workgraph' });
  });

  it('always has Open Window and Quit, even with no project', () => {
    const menu = buildTrayMenu(NO_PROJECT);
    expect(menu[0]).toEqual({ kind: 'label', label: 'No project open' });
    expect(actionItem(menu, 'open-window')).toBeDefined();
    expect(actionItem(menu, 'quit')).toBeDefined();
  });
});

describe('trayStateFrom and statusLine', () => {
  const agents = { working: 2, done: 5, failed: 1, dead: 0 };
  it('maps the service status', () => {
    expect(trayStateFrom({ project: 'p', status: { running: true, paused: false, agents }, failedTasks: 1, quitBehavior: 'stop-agents' }))
      .toEqual({ project: 'p', service: 'running', working: 2, failedTasks: 1, quitBehavior: 'stop-agents' });
    expect(trayStateFrom({ project: 'p', status: { running: true, paused: true, agents }, failedTasks: 0, quitBehavior: 'keep-agents' }).service).toBe('paused');
    expect(trayStateFrom({ project: 'p', status: { running: false, paused: true, agents }, failedTasks: 0, quitBehavior: 'keep-agents' }).service).toBe('stopped');
  });

  it('uses singular and plural', () => {
    expect(statusLine({ ...running, working: 1, failedTasks: 2 })).toBe('shop: running · 1 agent working · 2 tasks failed');
  });
});
