import type { WgClient } from '../../shared/client';
import type { AppClient } from '../../shared/app-ops';
import type { Backend, PreloadEvents, WgEvents } from './backend';

const NO_EVENTS: PreloadEvents = { onChange: () => () => undefined, onOutput: () => () => undefined };

/** The preload's watch, or one run's output as every run's output filtered. */
function withWatch(events: PreloadEvents): WgEvents {
  return {
    onChange: (listener) => events.onChange(listener),
    onOutput: (listener) => events.onOutput(listener),
    watchOutput:
      events.watchOutput ??
      ((agentId, listener) =>
        events.onOutput((event) => {
          if (event.agent_id === agentId) listener(event);
        })),
  };
}

/** Electron: the preload already exposes one async function per op (`window.wg`), typed like the client. */
export function createIpcBackend(wg: WgClient, events: PreloadEvents | undefined, app: AppClient | undefined = undefined): Backend {
  return { client: wg, events: withWatch(events ?? NO_EVENTS), label: 'Electron', app: app ?? null };
}
