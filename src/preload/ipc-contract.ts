/**
 * What travels between main and preload. Kept free of imports with a runtime cost: the sandboxed
 * preload bundles this file, and main imports it too so both sides agree.
 */
import type { ApiError, ChangeEvent, OutputEvent } from '../shared/api-contract';

/** `projects`: the desktop app's open projects changed (see src/shared/app-ops.ts). */
export const EVENT_CHANNELS = {
  change: 'events:change',
  output: 'events:output',
  projects: 'events:projects',
  /** Main asks the page to show one task (a click on the tray's Needs you or on a notice): payload its id. */
  showTask: 'events:show-task',
} as const;

/** The page watches a run's output (payload: the agent id), then stops (the same): main follows it meanwhile. */
export const WATCH_CHANNELS = { watch: 'events:watch-output', unwatch: 'events:unwatch-output' } as const;

/**
 * Main never rejects an IPC call: `ipcRenderer.invoke` would rewrite the message as
 * "Error invoking remote method 'task:add': WgError: …". It answers with this envelope instead,
 * and the preload turns `ok: false` back into a rejection carrying the ApiError unchanged.
 */
export type IpcReply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * Resolves with the value, or rejects with the plain `{ error, code }` object: the same shape as
 * the HTTP API's error body, and (unlike an Error's extra fields) it survives the context bridge.
 */
export function unwrapReply<T>(reply: IpcReply<T>): Promise<T> {
  if (isReply(reply)) return reply.ok ? Promise.resolve(reply.value) : Promise.reject({ error: reply.error.error, code: reply.error.code });
  return Promise.reject({ error: 'unexpected reply from the app', code: 'internal' } satisfies ApiError);
}

function isReply(value: unknown): value is IpcReply<unknown> {
  return typeof value === 'object' && value !== null && 'ok' in value && typeof value.ok === 'boolean';
}

/** `window.wgEvents`: subscriptions return their unsubscribe function. */
export interface WgEvents {
  onChange(listener: (event: ChangeEvent) => void): () => void;
  onOutput(listener: (event: OutputEvent) => void): () => void;
  watchOutput(agentId: string, listener: (event: OutputEvent) => void): () => void;
}
