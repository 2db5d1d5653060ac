/**
 * Runs sandboxed with context isolation: it can require only 'electron', and the page sees
 * nothing but what is exposed here. Three globals, typed for the page in src/renderer/env.d.ts:
 * - `window.wg`: one function per operation (`window.wg['task:add'](input)`), never a generic
 *   invoke, so the page can reach no IPC channel other than the operations.
 * - `window.wgEvents`: `onChange` / `onOutput` / `watchOutput` subscriptions returning their unsubscribe function.
 * - `window.wgApp`: the desktop app's operations on its open projects (src/shared/app-ops.ts) and
 *   `onProjects`, told when they change.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNELS, unwrapReply, WATCH_CHANNELS, type IpcReply, type WgEvents } from './ipc-contract';
import { OP_CHANNELS } from './op-channels';
import { APP_CHANNELS } from './app-channels';
import type { ChangeEvent, OutputEvent } from '../shared/api-contract';

const wg: Record<string, (input: unknown) => Promise<unknown>> = {};
for (const channel of OP_CHANNELS) {
  wg[channel] = async (input: unknown) => unwrapReply((await ipcRenderer.invoke(channel, input ?? {})) as IpcReply<unknown>);
}

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  // Wrapped so the page never receives the IpcRendererEvent (it carries `sender`, the ipcRenderer itself).
  const forward = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, forward);
  return () => {
    ipcRenderer.removeListener(channel, forward);
  };
}

// The desktop app's own operations (its open projects), and the event that says they changed.
const wgApp: Record<string, unknown> = {};
for (const channel of APP_CHANNELS) {
  wgApp[channel] = async (input: unknown) => unwrapReply((await ipcRenderer.invoke(channel, input ?? {})) as IpcReply<unknown>);
}
wgApp.onProjects = (listener: (overview: unknown) => void) => subscribe<unknown>(EVENT_CHANNELS.projects, listener);
wgApp.onShowTask = (listener: (taskId: string) => void) => subscribe<string>(EVENT_CHANNELS.showTask, listener);

const wgEvents: WgEvents = {
  onChange: (listener) => subscribe<ChangeEvent>(EVENT_CHANNELS.change, listener),
  onOutput: (listener) => subscribe<OutputEvent>(EVENT_CHANNELS.output, listener),
  watchOutput: (agentId, listener) => {
    const unsubscribe = subscribe<OutputEvent>(EVENT_CHANNELS.output, (event) => {
      if (event.agent_id === agentId) listener(event);
    });
    ipcRenderer.send(WATCH_CHANNELS.watch, agentId);
    return () => {
      unsubscribe();
      ipcRenderer.send(WATCH_CHANNELS.unwatch, agentId);
    };
  },
};

contextBridge.exposeInMainWorld('wg', wg);
contextBridge.exposeInMainWorld('wgEvents', wgEvents);
contextBridge.exposeInMainWorld('wgApp', wgApp);
