import { separator, type MenuItemTemplate } from './menu-template';
import { statusLine, type TrayState } from './tray-state';

/** The tray's context menu: where things stand, then Pause/Resume, Open Window and Quit. */
export function buildTrayMenu(state: TrayState): MenuItemTemplate[] {
  const items: MenuItemTemplate[] = [{ kind: 'label', label: statusLine(state) }, separator];
  if (state.service === 'paused') {
    items.push({ kind: 'action', label: 'Resume', action: { type: 'resume' } });
  } else {
    // Pausing a stopped coordinator means nothing, so the item stays but is greyed out.
    items.push({ kind: 'action', label: 'Pause', action: { type: 'pause' }, enabled: state.service === 'running' });
  }
  items.push({ kind: 'action', label: 'Open Window', action: { type: 'open-window' } }, separator);
  items.push({ kind: 'action', label: quitLabel(state), action: { type: 'quit' } });
  return items;
}

/** Says what happens to working agents, so nobody is surprised by either setting. */
function quitLabel(state: TrayState): string {
  if (state.working === 0 || state.quitBehavior === null) return 'Quit Workgraph';
  return state.quitBehavior === 'stop-agents' ? 'Quit and Stop Agents' : 'Quit (Agents Keep Running)';
}
