/**
 * The types of what the preload exposes, for the renderer. The renderer can declare:
 *
 *   import type { WindowApi } from '../preload/window-api';
 *   declare global { interface Window extends Partial<WindowApi> {} }
 *
 * (optional because browser mode has no preload and talks HTTP instead).
 */
import type { WgClient } from '../shared/client';
import type { WgEvents } from './ipc-contract';
import type { AppClient } from '../shared/app-ops';

export type { WgEvents } from './ipc-contract';
export type { IpcReply } from './ipc-contract';

export interface WindowApi {
  /** Resolves with the op's result or rejects with `{ error, code }` (src/shared/api-contract.ts ApiError). */
  wg: WgClient;
  wgEvents: WgEvents;
  /** The desktop app's open projects (Electron only). */
  wgApp: AppClient;
}
