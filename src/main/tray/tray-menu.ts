import { separator, type MenuItemTemplate } from '../menu/menu-template';
import { MENU_TASKS, overviewLine, statusLine, type TrayState } from './tray-state';

/**
 * The tray's context menu: where things stand (the totals over every open project), Pause/Resume
 * for each project and for all of them, then Open Window and Quit. With one project it is as simple
 * as it always was.
 */
export function buildTrayMenu(states: readonly TrayState[]): MenuItemTemplate[] {
  const open = states.filter((s) => s.project !== null);
  const items: MenuItemTemplate[] = [{ kind: 'label', label: overviewLine(open) }, separator, ...needsYouItems(open)];
  if (open.length <= 1) {
    items.push(pauseItem(open[0] ?? null, 'Pause', 'Resume'));
  } else {
    for (const state of open) {
      items.push({
        kind: 'submenu',
        label: statusLine(state),
        items: [
          pauseItem(state, 'Pause', 'Resume'),
          { kind: 'action', label: 'Show', action: { type: 'show-project', folder: state.folder ?? '' } },
        ],
      });
    }
    items.push(separator);
    items.push({ kind: 'action', label: 'Pause All', action: { type: 'pause' }, enabled: open.some((s) => s.service === 'running') });
    items.push({ kind: 'action', label: 'Resume All', action: { type: 'resume' }, enabled: open.some((s) => s.service === 'paused') });
  }
  items.push({ kind: 'action', label: 'Open Window', action: { type: 'open-window' } }, separator);
  items.push({ kind: 'action', label: quitLabel(open), action: { type: 'quit' } });
  return items;
}

/**
 * What people are to do, first in the menu: up to MENU_TASKS tasks over the open projects ("Review the copy — awaits your
 * approval"), each showing that task in its project's window.
 */
function needsYouItems(states: readonly TrayState[]): MenuItemTemplate[] {
  const all = states.flatMap((state) => state.needsYou.map((task) => ({ state, task })));
  if (all.length === 0) return [];
  const total = states.reduce((sum, state) => sum + state.waiting, 0);
  const several = states.length > 1;
  const items: MenuItemTemplate[] = [{ kind: 'label', label: 'Needs you' }];
  for (const { state, task } of all.slice(0, MENU_TASKS)) {
    const label = `${several ? `${state.project}: ` : ''}${task.title}${task.note ? ` — ${task.note}` : ''}`;
    items.push({ kind: 'action', label, action: { type: 'show-task', folder: state.folder ?? '', taskId: task.id } });
  }
  if (total > MENU_TASKS) items.push({ kind: 'label', label: `…and ${total - MENU_TASKS} more in the window` });
  items.push(separator);
  return items;
}

/** Pause (greyed out when no coordinator runs: pausing it would mean nothing) or Resume, for one project. */
function pauseItem(state: TrayState | null, pause: string, resume: string): MenuItemTemplate {
  const folder = state?.folder ?? undefined;
  if (state?.service === 'paused') return { kind: 'action', label: resume, action: { type: 'resume', folder } };
  return { kind: 'action', label: pause, action: { type: 'pause', folder }, enabled: state?.service === 'running' };
}

/** Says what happens to working agents, so nobody is surprised by either setting. */
function quitLabel(states: readonly TrayState[]): string {
  const busy = states.filter((s) => s.working > 0 && s.quitBehavior !== null);
  if (busy.length === 0) return 'Quit Workgraph';
  if (busy.every((s) => s.quitBehavior === 'stop-agents')) return 'Quit and Stop Agents';
  if (busy.every((s) => s.quitBehavior === 'keep-agents')) return 'Quit (Agents Keep Running)';
  return 'Quit (Some Agents Keep Running)';
}
