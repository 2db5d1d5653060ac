import { describe, expect, it } from 'vitest';
import type { MenuItemTemplate } from '../../../src/main/menu/menu-template';
import { buildTrayMenu } from '../../../src/main/tray/tray-menu';
import { NO_PROJECT, statusLine, trayStateFrom, type TrayState } from '../../../src/main/tray/tray-state';

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

const labels = (items: MenuItemTemplate[]) => items.map((item) => ('label' in item ? item.label : item.kind));
const actionItem = (items: MenuItemTemplate[], type: string) => items.find((item) => item.kind === 'action' && item.action.type === type);

describe('buildTrayMenu', () => {
  it('starts with the status line, then Pause, Open Window and Quit', () => {
    expect(labels(buildTrayMenu([running]))).toEqual(['shop: running', 'separator', 'Pause', 'Open Window', 'separator', 'Quit Workgraph']);
    expect(buildTrayMenu([running])[0]).toEqual({ kind: 'label', label: 'shop: running' });
  });

  it('offers Resume instead of Pause while paused', () => {
    const menu = buildTrayMenu([{ ...running, service: 'paused' }]);
    expect(actionItem(menu, 'resume')).toMatchObject({ label: 'Resume' });
    expect(actionItem(menu, 'pause')).toBeUndefined();
  });

  it('greys out Pause when no coordinator runs', () => {
    expect(actionItem(buildTrayMenu([NO_PROJECT]), 'pause')).toMatchObject({ enabled: false });
    expect(actionItem(buildTrayMenu([{ ...running, service: 'stopped' }]), 'pause')).toMatchObject({ enabled: false });
    expect(actionItem(buildTrayMenu([running]), 'pause')).toMatchObject({ enabled: true });
  });

  it('shows agents at work and failures in the status line', () => {
    const menu = buildTrayMenu([{ ...running, working: 3, failedTasks: 1 }]);
    expect(menu[0]).toEqual({ kind: 'label', label: 'shop: running · 3 agents working · 1 task failed' });
  });

  it('says what Quit does with working agents', () => {
    expect(actionItem(buildTrayMenu([{ ...running, working: 2 }]), 'quit')).toMatchObject({ label: 'Quit (Agents Keep Running)' });
    expect(actionItem(buildTrayMenu([{ ...running, working: 2, quitBehavior: 'stop-agents' }]), 'quit')).toMatchObject({
      label: 'Quit and Stop Agents',
    });
    expect(actionItem(buildTrayMenu([{ ...running, quitBehavior: 'stop-agents' }]), 'quit')).toMatchObject({ label: 'Quit Workgraph' });
  });

  it('names what needs a person first, each opening that task in its project, and how many more there are', () => {
    const brief = (n: number) => ({ id: `t${n}`, title: `Task ${n}`, note: 'awaits your approval' });
    const menu = buildTrayMenu([{ ...running, waiting: 7, needsYou: [1, 2, 3, 4, 5, 6].map(brief) }]);
    expect(labels(menu).slice(0, 10)).toEqual([
      'shop: running · 7 tasks need you',
      'separator',
      'Needs you',
      'Task 1 — awaits your approval',
      'Task 2 — awaits your approval',
      'Task 3 — awaits your approval',
      'Task 4 — awaits your approval',
      'Task 5 — awaits your approval',
      '…and 2 more in the window',
      'separator',
    ]);
    expect(menu[3]).toMatchObject({ kind: 'action', action: { type: 'show-task', folder: '/p/shop', taskId: 't1' } });
    // Nothing to do: no section.
    expect(labels(buildTrayMenu([running]))).not.toContain('Needs you');
  });

  it('always has Open Window and Quit, even with no project', () => {
    const menu = buildTrayMenu([NO_PROJECT]);
    expect(menu[0]).toEqual({ kind: 'label', label: 'No project open' });
    expect(actionItem(menu, 'open-window')).toBeDefined();
    expect(actionItem(menu, 'quit')).toBeDefined();
  });
});

describe('trayStateFrom and statusLine', () => {
  const agents = { working: 2, done: 5, failed: 1, dead: 0, killed: 0 };
  it('maps the service status', () => {
    const base = { project: 'p', folder: '/p', failedTasks: 0, waiting: [], quitBehavior: 'keep-agents' as const };
    const two = [
      { id: 'a', title: 'A', note: 'yours to do' },
      { id: 'b', title: 'B', note: 'awaits your approval' },
    ];
    expect(
      trayStateFrom({
        ...base,
        status: { running: true, paused: false, agents },
        failedTasks: 1,
        waiting: two,
        quitBehavior: 'stop-agents',
      }),
    ).toEqual({
      project: 'p',
      folder: '/p',
      service: 'running',
      working: 2,
      failedTasks: 1,
      waiting: 2,
      needsYou: two,
      quitBehavior: 'stop-agents',
    });
    expect(trayStateFrom({ ...base, status: { running: true, paused: true, agents } }).service).toBe('paused');
    expect(trayStateFrom({ ...base, status: { running: false, paused: true, agents } }).service).toBe('stopped');
  });

  it('uses singular and plural', () => {
    expect(statusLine({ ...running, working: 1, failedTasks: 2 })).toBe('shop: running · 1 agent working · 2 tasks failed');
    expect(statusLine({ ...running, waiting: 3 })).toBe('shop: running · 3 tasks need you');
  });
});

describe('the tray over several projects', () => {
  const docs: TrayState = { ...running, project: 'docs', folder: '/p/docs', service: 'paused', working: 1, failedTasks: 1, waiting: 2 };
  const shop: TrayState = { ...running, working: 2 };

  it('shows the totals, each project with its own Pause or Resume, and Pause All / Resume All', () => {
    const menu = buildTrayMenu([shop, docs]);
    expect(menu[0]).toEqual({ kind: 'label', label: '2 projects · 3 agents working · 1 task failed · 2 tasks need you' });
    const projects = menu.filter((item) => item.kind === 'submenu');
    expect(projects.map((item) => item.label)).toEqual([
      'shop: running · 2 agents working',
      'docs: paused · 1 agent working · 1 task failed · 2 tasks need you',
    ]);
    expect(projects[0]?.kind === 'submenu' && projects[0].items[0]).toMatchObject({
      label: 'Pause',
      action: { type: 'pause', folder: '/p/shop' },
    });
    expect(projects[1]?.kind === 'submenu' && projects[1].items[0]).toMatchObject({
      label: 'Resume',
      action: { type: 'resume', folder: '/p/docs' },
    });
    expect(projects[1]?.kind === 'submenu' && projects[1].items[1]).toMatchObject({
      label: 'Show',
      action: { type: 'show-project', folder: '/p/docs' },
    });
    expect(actionItem(menu, 'pause')).toMatchObject({ label: 'Pause All', enabled: true, action: { type: 'pause' } });
    expect(actionItem(menu, 'resume')).toMatchObject({ label: 'Resume All', enabled: true, action: { type: 'resume' } });
  });

  it('says what Quit does when projects disagree', () => {
    expect(actionItem(buildTrayMenu([shop, { ...docs, quitBehavior: 'stop-agents' }]), 'quit')).toMatchObject({
      label: 'Quit (Some Agents Keep Running)',
    });
    expect(actionItem(buildTrayMenu([shop, docs]), 'quit')).toMatchObject({ label: 'Quit (Agents Keep Running)' });
  });
});
