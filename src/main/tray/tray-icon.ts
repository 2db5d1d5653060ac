import type { TrayState } from './tray-state';

export type TrayIconState = 'stopped' | 'running' | 'working' | 'paused' | 'failure';
/** The theme of the panel the icon sits on (not of the glyph): light panels get a dark glyph. */
export type PanelTheme = 'light' | 'dark';

/**
 * Which of resources/tray-*.png to show. Precedence says what matters most at a glance:
 * a failure needs attention, then paused (nothing new will start), then agents at work.
 * Returns the 1x file name; Electron loads the @2x sibling itself on high-density screens.
 */
export function trayIconFor(states: TrayState | readonly TrayState[], theme: PanelTheme): { state: TrayIconState; file: string } {
  const icon = overallState(Array.isArray(states) ? states : [states as TrayState]);
  return { state: icon, file: `tray-${icon}-${theme}.png` };
}

/** Over several projects, by the same precedence: the one most in need of a look decides. */
const PRECEDENCE: TrayIconState[] = ['failure', 'working', 'running', 'paused', 'stopped'];

function overallState(states: readonly TrayState[]): TrayIconState {
  const icons = states.map(iconState);
  return PRECEDENCE.find((icon) => icons.includes(icon)) ?? 'stopped';
}

function iconState(state: TrayState): TrayIconState {
  if (state.project === null) return 'stopped';
  if (state.failedTasks > 0) return 'failure';
  if (state.service === 'stopped') return 'stopped';
  if (state.service === 'paused') return 'paused';
  return state.working > 0 ? 'working' : 'running';
}
