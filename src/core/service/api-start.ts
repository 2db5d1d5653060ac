import type { ServerResponse } from 'node:http';
import type { OutputEvent } from '../../shared/api-contract';
import { ownedRunEvents } from '../peers/owned-output';
import { serveOwnedFollow } from '../peers/owned-follow';
import type { ProjectPaths } from '../project';
import type { ListenRequest } from '../service-state/state-file';
import type { Store } from '../store/store';
import type { ApiAddress } from './api-address';
import type { ApiServer } from './http/api-server';
import type { ListenPlan } from './http/listen-plan';
import type { ApiHandlers } from './http/routes';
import { keepPort } from './last-port';
import type { TeamIdentity } from './team-lease';

/* The coordinator's API as openCoordinator starts it: where it listens, and what it serves the project's other coordinators. */

/** The API listens: its address known (ApiAddress), and its port kept for the next start when it chose one. */
export function listening(paths: ProjectPaths, address: ApiAddress, server: ApiServer, listenOn: ListenPlan): void {
  address.baseUrl = server.baseUrl;
  if (listenOn.port === 0) {
    try {
      keepPort(paths, server.port);
    } catch {
      // A service folder that cannot take it (read-only, full): the next start takes any free port, as before.
    }
  }
  address.listen = `${listenOn.host.includes(':') ? `[${listenOn.host}]` : listenOn.host}:${server.port}`;
  address.url = `${server.baseUrl}/#token=${address.token}`;
}

/** A team's graph: the output of this coordinator's runs, read and followed by the project's other coordinators. */
export function peerOutputOf(
  store: Store,
  paths: ProjectPaths,
  identity: TeamIdentity,
  feeds: {
    onOutput: (listener: (event: OutputEvent) => void) => () => void;
    onChange: (listener: (rev: number) => void) => () => void;
  },
): NonNullable<ApiHandlers['peerOutput']> {
  return {
    key: identity.outputKey,
    read: (agent, offset, limit) => ownedRunEvents(store, paths, identity.id, agent, offset, limit),
    follow: (agent, res: ServerResponse) => serveOwnedFollow({ store, paths, me: identity.id, ...feeds }, agent, res),
  };
}

/** The project's own listen settings (`[service] listen`, `tls_cert`, `tls_key`, `insecure`). */
export function listenSettings(settings: {
  service: { listen: string | null; tls_cert: string | null; tls_key: string | null; insecure: boolean };
}): ListenRequest {
  const { listen, tls_cert, tls_key, insecure } = settings.service;
  return { listen, tlsCert: tls_cert, tlsKey: tls_key, insecure };
}
