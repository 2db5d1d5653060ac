import type { WgClient } from '../shared/client';
import type { PreloadEvents } from './api/backend';
import type { AppClient } from '../shared/app-ops';

declare global {
  interface Window {
    /** Electron preload: one async function per op name, same names as the registry. */
    wg?: WgClient;
    /** Electron preload: store changes and output growth, each returning an unsubscribe function. */
    wgEvents?: PreloadEvents;
    /** Electron preload: the desktop app's open projects (absent in browser mode: one daemon, one project). */
    wgApp?: AppClient;
  }
}
