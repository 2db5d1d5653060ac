import { createClient } from '../../shared/client';
import type { Backend } from './backend';
import { createHttpTransport } from './http-transport';
import { createSseEvents } from './sse-events';

/** Browser mode: ops over HTTP, events over server-sent events, both on the page's own origin. */
export function createHttpBackend(token: string, baseUrl = ''): Backend {
  return {
    client: createClient(createHttpTransport({ baseUrl, token })),
    events: createSseEvents(baseUrl, token),
    label: baseUrl || window.location.host,
  };
}
