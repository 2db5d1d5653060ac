import { tokenTextProblem } from '../../shared/token-text';
import { invalid } from '../../shared/errors';

/**
 * The coordinators a person's `wg` sends its operations to (`WG_SERVER`, or `--server`), and the token
 * it sends with them (`WG_TOKEN`, or `--token`). Several addresses, comma separated, are tried in order
 * until one answers: the same project served by more than one coordinator. Pure: nothing is contacted.
 */
export interface ServerTarget {
  /** Origins, e.g. `https://build.example.com:8787`, in the order they are tried. */
  servers: string[];
  token: string;
  /**
   * This machine's coordinator of the project, reached on its unix socket instead of TCP (a run's `wg` on a team's
   * graph, a person's read there): `servers` then holds only the name its messages give it. Only the coordinator's
   * own user can open the socket (socket-safety.ts).
   */
  socket?: string;
  /** Who acts, for the project's own token, which names nobody (X-WG-Actor): `user`, as a local `wg` acts. */
  actor?: string;
}

/** Names this machine itself: the only place a token may go without TLS. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a token sent to `url` (http, https, ws or wss) would cross the network unencrypted. */
export function inClearText(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'ws:') && !LOOPBACK.has(url.hostname);
}

/**
 * One address as a person writes it: `https://host:port` (a bare `host:port` means https). Anything
 * beyond the origin is refused rather than dropped: a path would not be where the API is, and a
 * `#token=` fragment (the window's URL) holds the coordinator's own token, which is not a person's.
 */
function parseServer(text: string, source: string): string {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`);
  } catch {
    throw invalid(`${source}: '${text}' is not an address; write one like https://build.example.com:8787`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalid(`${source}: '${text}' must start with https:// (or http:// on this machine)`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalid(
      `${source}: '${text}' must be only the coordinator's address, like https://build.example.com:8787 (the token goes in WG_TOKEN)`,
    );
  }
  if (inClearText(url)) {
    throw invalid(
      `${source}: refusing to send a token to ${url.origin} in clear text; use https:// (the coordinator listens with --tls-cert and --tls-key)`,
    );
  }
  return url.origin;
}

/** The addresses, in order and each once; refuses an empty list and a missing or malformed token, in one line. */
export function parseServerTarget(serverText: string, tokenText: string | undefined, source: string): ServerTarget {
  const servers = [
    ...new Set(
      serverText
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((part) => parseServer(part, source)),
    ),
  ];
  if (servers.length === 0) throw invalid(`${source} names no coordinator; write one like https://build.example.com:8787`);
  const token = (tokenText ?? '').trim();
  if (token === '') {
    throw invalid(
      `${source} is set but no token is: set WG_TOKEN (or pass --token) to the token 'wg token create NAME --person' printed on the coordinator's machine`,
    );
  }
  const problem = tokenTextProblem(token);
  if (problem) throw invalid(`the token (WG_TOKEN or --token) ${problem}`);
  return { servers, token };
}
