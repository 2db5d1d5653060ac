import type { WgClient } from '../shared/client';
import type { WgEvents } from './api/backend';

declare global {
  interface Window {
    /** Electron preload: one async function per op name, same names as the registry. */
    wg?: WgClient;
    /** Electron preload: store changes and output growth, each returning an unsubscribe function. */
    wgEvents?: WgEvents;
  }
}

export {};
