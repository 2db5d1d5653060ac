/** Node's fetch failures ("fetch failed" with a system error as its cause), in a person's words. */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'its name could not be looked up',
  ECONNRESET: 'the connection was cut',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  CERT_HAS_EXPIRED: 'its TLS certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another name',
};

/** What a caller says in its own words: a refused connection, and fetch's refusal of a port browsers block. */
export interface FetchFailureWords {
  refused?: string;
  /** Asked only for that failure (the URL it would name may be one that does not parse). */
  badPort: () => string;
}

/** Why a fetch got no answer, in a few plain words (no library's text). */
export function fetchFailure(error: unknown, timeoutMs: number, words: FetchFailureWords): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer in ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (code === 'ECONNREFUSED' && words.refused) return words.refused;
  if (CAUSES[code]) return CAUSES[code];
  // Fetch's own refusal, before any connection: a port browsers block (6000, 6667, 10080…), said with no code.
  if (cause?.message === 'bad port') return words.badPort();
  if (error instanceof TypeError && /url/i.test(error.message)) return 'it is not a valid URL';
  return code ? `the connection failed (${code})` : 'the connection failed';
}
