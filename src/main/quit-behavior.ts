import type { ConfigEntry } from '../shared/config-types';
import type { QuitBehavior } from './tray/tray-state';

/** The core's default too: agents are expensive to restart, so quitting leaves them working. */
export const DEFAULT_QUIT_BEHAVIOR: QuitBehavior = 'keep-agents';

/** `service.quit_behavior` from `config:list`, falling back to the default on anything unexpected. */
export function quitBehaviorFrom(entries: readonly ConfigEntry[]): QuitBehavior {
  const value = entries.find((entry) => entry.key === 'service.quit_behavior')?.value;
  return value === 'stop-agents' || value === 'keep-agents' ? value : DEFAULT_QUIT_BEHAVIOR;
}
