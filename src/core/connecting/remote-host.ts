import { EventSource, type EventSourceInit } from 'eventsource';
import { EVENTS_PATH, opPath, type ChangeEvent, type OutputEvent, watchPath } from '../../shared/api-contract';
import { WgError, type WgErrorCode } from '../../shared/errors';
import type { OpName, OpOutput } from '../../shared/ops/registry';
import type { ServiceStatus } from '../../shared/service-types';
import type { ProjectHost } from '../host-interface';
import { parseCoordinatorAddress, type CoordinatorAddress } from './coordinator-address';

export interface RemoteHostOptions {
  /** How requests are made (tests and a custom certificate authority pass their own); the global fetch by default. */
  fetch?: typeof fetch;
  /** How long the first contact may take before the coordinator counts as unreachable. */
  probeTimeoutMs?: number;
}

const ERROR_CODES: readonly WgErrorCode[] = ['invalid', 'not_found', 'conflict', 'cycle', 'unavailable', 'unauthorized', 'forbidden'];

/**
 * A coordinator on another machine (`wg service start --listen …` there), driven over its HTTP API
 * with its token, behind the same ProjectHost the app uses for a local folder: operations go as
 * `POST /api/op/<name>`, change and output events come over server-sent events, so the window, the
 * tray and notifications work unchanged. Closing it leaves the coordinator running: it is shared.
 *
 * Refuses with one plain sentence (and connects nothing) when the address does not answer, does not
 * answer as a coordinator, or refuses the token.
 */
async function connectRemoteHost(address: CoordinatorAddress, options: RemoteHostOptions = {}): Promise<ProjectHost> {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const { base, token } = address;
  const call = async <N extends OpName>(name: N, input: unknown, timeoutMs?: number): Promise<OpOutput<N>> => {
    let response: Response;
    try {
      response = await send(`${base}${opPath(name)}`, {
        method: 'POST',
        body: JSON.stringify(input ?? {}),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined,
      });
    } catch (error) {
      throw new WgError('unavailable', unreachable(base, error));
    }
    const body = (await response.json().catch(() => undefined)) as unknown;
    if (response.status === 401) throw new WgError('unauthorized', `The coordinator at ${base} refused the token.`);
    if (response.ok && body !== undefined) return body as OpOutput<N>;
    const error = apiError(body);
    if (error) throw new WgError(error.code, error.message);
    throw new WgError('unavailable', `${base} does not answer as a workgraph coordinator.`);
  };

  let status = await call('service:status', {}, options.probeTimeoutMs ?? 10_000);
  if (!isServiceStatus(status)) throw new WgError('unavailable', `${base} does not answer as a workgraph coordinator.`);

  const changeListeners = new Set<(rev: number) => void>();
  const outputListeners = new Set<(event: OutputEvent) => void>();
  // status() is synchronous for the tray: a copy kept fresh after every change and every pause or resume.
  let refreshing: Promise<void> | null = null;
  let again = false;
  const refreshStatus = (): void => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = call('service:status', {})
      .then(
        (next) => {
          status = next;
        },
        () => undefined,
      )
      .finally(() => {
        refreshing = null;
        if (again) {
          again = false;
          refreshStatus();
        }
      });
  };

  // EventSource reconnects by itself after a drop; the token goes in a header, not in the URL.
  const withToken: EventSourceInit = {
    fetch: (url, init) => send(url, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } }),
  };
  const events = new EventSource(`${base}${EVENTS_PATH}`, withToken);
  /** The streams of the runs the window shows: each keeps the coordinator following its run (watchOutput). */
  const watches = new Set<EventSource>();
  events.addEventListener('change', (message) => {
    const event = parseJson<ChangeEvent>(message.data);
    if (typeof event?.rev !== 'number') return;
    refreshStatus();
    for (const listener of changeListeners) listener(event.rev);
  });
  events.addEventListener('output', (message) => {
    const event = parseJson<OutputEvent>(message.data);
    if (typeof event?.agent_id !== 'string' || typeof event.total !== 'number') return;
    // A followed run's owner out of reach says so (`away`): the window shows that line.
    const away = typeof event.away === 'string' ? { away: event.away } : {};
    for (const listener of outputListeners) listener({ agent_id: event.agent_id, total: event.total, ...away });
  });

  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  };
  const control = async (name: 'service:pause' | 'service:resume'): Promise<void> => {
    await call(name, {}).catch(() => undefined);
    refreshStatus();
  };
  return {
    name: new URL(base).host,
    where: base,
    remote: true,
    readOnly: status.read_only === true,
    notice: null,
    // The actor is the remote coordinator's to decide (its token names who calls).
    dispatch: (name, input) => call(name, input),
    onChange: (listener) => subscribe(changeListeners, listener),
    onOutput: (listener) => subscribe(outputListeners, listener),
    // The coordinator this window talks to follows the run while it is shown (a run another coordinator of its team
    // ran, on that one); the run's growth comes on the stream above, as every run's does.
    watchOutput: async (agent) => {
      const watched = new EventSource(`${base}${watchPath(agent)}`, withToken);
      watches.add(watched);
      return () => {
        watched.close();
        watches.delete(watched);
      };
    },
    status: async () => status,
    pause: () => control('service:pause'),
    resume: () => control('service:resume'),
    close: async () => {
      events.close();
      for (const watched of watches) watched.close();
      watches.clear();
      changeListeners.clear();
      outputListeners.clear();
      await refreshing;
    },
  };
}

/** TLS refusals fetch reports in `cause.code`: the certificate is not one this computer trusts. */
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

function unreachable(base: string, error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? (error.cause as NodeJS.ErrnoException) : null;
  if (cause?.code && UNTRUSTED.test(cause.code)) {
    return (
      `The coordinator at ${base} has a certificate this computer does not trust; ` +
      'use one from a trusted authority, or start the app with NODE_EXTRA_CA_CERTS naming the certificate file.'
    );
  }
  return `Could not reach a coordinator at ${base}.`;
}

function apiError(body: unknown): { code: WgErrorCode; message: string } | null {
  if (typeof body !== 'object' || body === null || !('error' in body) || typeof body.error !== 'string') return null;
  const code = 'code' in body && ERROR_CODES.includes(body.code as WgErrorCode) ? (body.code as WgErrorCode) : 'invalid';
  return { code, message: body.error };
}

function isServiceStatus(value: unknown): value is ServiceStatus {
  return typeof value === 'object' && value !== null && 'running' in value && typeof value.running === 'boolean' && 'agents' in value;
}

function parseJson<T>(text: string): Partial<T> | null {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null ? (value as Partial<T>) : null;
  } catch {
    return null;
  }
}

/** What the window's connect form sends: the address and token as typed; a refusal is one plain sentence. */
export async function connectCoordinator(urlText: string, tokenText: string, options: RemoteHostOptions = {}): Promise<ProjectHost> {
  const checked = parseCoordinatorAddress(urlText, tokenText);
  if (!checked.ok) throw new WgError('invalid', checked.reason);
  return connectRemoteHost(checked.address, options);
}
