import { createClient } from '../../shared/client';
import type { Backend } from './backend';
import { createHttpTransport } from './http-transport';
import { createSseEvents } from './sse-events';
import { ConnectionWatch } from './connection';

/** Browser mode: ops over HTTP, events over server-sent events, both on the page's own origin. */
export function createHttpBackend(token: string, baseUrl = ''): Backend {
  const connection = new ConnectionWatch();
  return {
    client: createClient(createHttpTransport({ baseUrl, token, connection })),
    events: createSseEvents(baseUrl, token, undefined, connection),
    label: baseUrl || window.location.host,
    connection,
  };
}
