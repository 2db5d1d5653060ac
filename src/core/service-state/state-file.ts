import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ProjectPaths } from '../project';
import type { ServiceOverrides } from '../config/config-view';
import { replaceFile } from '../files/no-follow';

/** How a coordinator is told to listen (`--listen`, TLS, `--insecure`): read by the HTTP API's listen plan, kept here for `wg service restart`. */
export interface ListenRequest {
  /** HOST:PORT (`[::]:8787` for IPv6); undefined = loopback, a free port. */
  listen?: string | null;
  tlsCert?: string | null;
  tlsKey?: string | null;
  insecure?: boolean;
}

/** What a running coordinator publishes about itself in `.workgraph/service/state.json`. */
export interface ServiceState {
  pid: number;
  port: number;
  /** The browser-mode URL, token in the fragment. */
  url: string;
  socket: string;
  started_at: string;
  /** The overrides it was started with, so `wg service restart` can start it the same way. */
  overrides: ServiceOverrides;
  /** 'daemon' (wg service start) or 'app' (the desktop app). */
  host: 'daemon' | 'app';
  /** How it was told to listen (`--listen`, TLS, `--insecure`), for `wg service restart`. */
  listen?: ListenRequest;
}

export function writeServiceState(paths: ProjectPaths, state: ServiceState): void {
  replaceFile(paths.stateFile, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function readServiceState(paths: ProjectPaths): ServiceState | null {
  if (!existsSync(paths.stateFile)) return null;
  try {
    const value = JSON.parse(readFileSync(paths.stateFile, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null) return null;
    const state = value as Partial<ServiceState>;
    if (typeof state.pid !== 'number' || typeof state.port !== 'number' || typeof state.url !== 'string') return null;
    return {
      pid: state.pid,
      port: state.port,
      url: state.url,
      socket: typeof state.socket === 'string' ? state.socket : paths.socket,
      started_at: typeof state.started_at === 'string' ? state.started_at : '',
      overrides: state.overrides ?? {},
      host: state.host === 'app' ? 'app' : 'daemon',
      listen: typeof state.listen === 'object' && state.listen !== null ? state.listen : undefined,
    };
  } catch {
    return null;
  }
}

export function removeServiceState(paths: ProjectPaths, pid: number): void {
  if (readServiceState(paths)?.pid === pid) rmSync(paths.stateFile, { force: true });
}
