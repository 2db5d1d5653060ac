import type { Backend } from './backend';
import { createHttpBackend } from './http-backend';
import { createIpcBackend } from './ipc-backend';
import { takeToken } from './token';

export type BackendChoice = { ok: true; backend: Backend } | { ok: false; reason: string };

/** Electron's preload bridge when present, otherwise the daemon's HTTP API with the URL token. */
export function selectBackend(): BackendChoice {
  if (window.wg) return { ok: true, backend: createIpcBackend(window.wg, window.wgEvents, window.wgApp) };
  const token = takeToken(window.location, window.sessionStorage, window.history);
  if (!token) {
    return {
      ok: false,
      reason: 'No access token. Open the address printed by `wg service status` (it ends with #token=…).',
    };
  }
  return { ok: true, backend: createHttpBackend(token) };
}
