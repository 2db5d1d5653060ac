import type { WgClient } from '../../shared/client';
import type { AppClient } from '../../shared/app-ops';
import type { Backend, WgEvents } from './backend';

const NO_EVENTS: WgEvents = { onChange: () => () => undefined, onOutput: () => () => undefined };

/** Electron: the preload already exposes one async function per op (`window.wg`), typed like the client. */
export function createIpcBackend(wg: WgClient, events: WgEvents | undefined, app: AppClient | undefined = undefined): Backend {
  return { client: wg, events: events ?? NO_EVENTS, label: 'Electron', app: app ?? null };
}
