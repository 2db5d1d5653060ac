import type { ChangeEvent, OutputEvent } from '../../shared/api-contract';
import type { WgClient } from '../../shared/client';
import type { AppClient } from '../../shared/app-ops';
import type { ConnectionWatch } from './connection';

/** Push notifications from wherever the store lives (IPC in Electron, server-sent events in a browser). */
export interface WgEvents {
  /** The store changed; returns an unsubscribe function. */
  onChange(listener: (event: ChangeEvent) => void): () => void;
  /** An agent's output grew; returns an unsubscribe function. */
  onOutput(listener: (event: OutputEvent) => void): () => void;
  /**
   * One run's output while the window shows it, for as long as the subscription lasts: on a team's graph the
   * coordinator follows a run of another coordinator only meanwhile. Returns an unsubscribe function.
   */
  watchOutput(agentId: string, listener: (event: OutputEvent) => void): () => void;
}

/** What Electron's preload gives (watchOutput absent from an older preload: every run's output comes anyway). */
export type PreloadEvents = Pick<WgEvents, 'onChange' | 'onOutput'> & Partial<Pick<WgEvents, 'watchOutput'>>;

/** Everything the renderer talks to: the typed op client and the event stream. */
export interface Backend {
  client: WgClient;
  events: WgEvents;
  /** Where the data comes from, shown in the header (e.g. "Electron" or the daemon origin). */
  label: string;
  /** The desktop app's open projects; null in browser mode (one daemon serves one project). */
  app?: AppClient | null;
  /** Browser mode: whether the coordinator answers. Absent where it runs in the app's own process (always there). */
  connection?: ConnectionWatch;
}
