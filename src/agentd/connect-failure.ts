import { connect as tlsConnect } from 'node:tls';
import { unreachable } from '../core/connecting/server-client';
import { AGENT_WS_PATH } from '../shared/agent-protocol';

/** What became of one attempt to open the agent socket, before it opened. */
export interface Attempt {
  /** The coordinator answered with plain HTTP instead of taking the WebSocket. */
  response: { status: number; location: string | null } | null;
  /** No connection within the handshake's time. */
  timedOut: boolean;
  error: NodeJS.ErrnoException | null;
}

/** Why a coordinator was not reached, in one line for a person, and whether waiting could mend it. */
export interface ConnectFailure {
  line: string;
  /** A wrong address or an untrusted certificate: every retry would fail the same way until a person changes something. */
  lasting: boolean;
}

/** How long the check that an http:// address's port speaks TLS may take. */
const TLS_CHECK_MS = 5000;

/** A certificate the coordinator was refused for: trusting another authority, or another address, is what mends it. */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;

/** The same coordinator with the other scheme: what a person writes instead. */
function otherScheme(url: URL, secure: boolean): string {
  const other = new URL(url.origin);
  other.protocol = secure ? 'https:' : 'http:';
  return other.origin;
}

/** Whether host:port completes a TLS handshake (any certificate): a TLS server resets a plain request, as a dying one might. */
function speaksTls(url: URL): Promise<boolean> {
  return new Promise((resolve) => {
    const port = Number(url.port || 80);
    const socket = tlsConnect({ host: url.hostname, port, rejectUnauthorized: false });
    const done = (yes: boolean) => {
      socket.destroy();
      resolve(yes);
    };
    socket.setTimeout(TLS_CHECK_MS, () => done(false));
    socket.once('secureConnect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function answered(url: URL, status: number, location: string | null): ConnectFailure {
  if (status === 404) {
    const hasPath = url.pathname !== '/' && url.pathname !== '';
    return {
      lasting: true,
      line: hasPath
        ? `${url.href} has no agent socket (HTTP 404 for ${url.pathname.replace(/\/$/, '')}${AGENT_WS_PATH}): WG_COORDINATOR_URL is the coordinator's address with no path, e.g. ${url.origin}`
        : `${url.origin} has no agent socket (HTTP 404 for ${AGENT_WS_PATH}): is it a workgraph coordinator's address (the url wg service start prints)?`,
    };
  }
  if (status >= 300 && status < 400)
    return {
      lasting: true,
      line: `${url.origin} sends the connection elsewhere (HTTP ${status}${location ? ` to ${location}` : ''}): give that address`,
    };
  // A proxy in front of a coordinator that is restarting, or one too busy: it may take the connection later.
  if (status >= 500) return { lasting: false, line: `it answered HTTP ${status} (not taking connections now)` };
  if (status === 401 || status === 403) return { lasting: true, line: `${url.origin} refused the agent socket (HTTP ${status})` };
  return { lasting: true, line: `${url.origin} does not answer as a workgraph coordinator (HTTP ${status})` };
}

/**
 * One attempt's failure, from its facts (the HTTP status, the socket's error code; never a library's message). The
 * transient ones (refused, reset, no answer) are retried with backoff; the lasting ones end the daemon.
 */
export async function connectFailure(address: string, attempt: Attempt, caGiven: boolean): Promise<ConnectFailure> {
  const url = new URL(address);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  if (attempt.response) return answered(url, attempt.response.status, attempt.response.location);
  if (attempt.timedOut) return { lasting: false, line: 'no answer within 10 s' };
  const error = attempt.error;
  const code = error?.code ?? '';
  if (secure && (code === 'EPROTO' || code === 'ERR_SSL_WRONG_VERSION_NUMBER'))
    return {
      lasting: true,
      line: `${url.origin} does not speak TLS: if it listens without TLS, its address is ${otherScheme(url, false)}`,
    };
  if (error && CERTIFICATE.test(code)) {
    const why =
      caGiven && code !== 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'its certificate is not one this computer trusts, nor signed by the CA file given (WG_COORDINATOR_CA or WG_CA_CERT)'
        : unreachable(error).replace('(set WG_CA_CERT to', '(set WG_CA_CERT, or --ca, to');
    return { lasting: true, line: `${url.origin}: ${why}` };
  }
  if (!secure && code === 'ECONNRESET' && (await speaksTls(url)))
    return { lasting: true, line: `${url.origin} listens with TLS: its address is ${otherScheme(url, true)}` };
  return { lasting: false, line: error ? unreachable(error) : 'the connection failed before it was set up' };
}
