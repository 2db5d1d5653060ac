import type { LaunchSpec } from '../../executors/launch';

type HttpSpec = Extract<LaunchSpec, { kind: 'http' }>;

/** Hands the task to a remote agent service; resolves when it accepted (2xx), rejects with one line otherwise. */
export async function postLaunch(spec: HttpSpec, timeoutMs = 30_000): Promise<void> {
  let response: Response;
  try {
    response = await fetch(spec.endpoint, {
      method: spec.method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec.payload),
      signal: AbortSignal.timeout(timeoutMs),
      // The payload holds the run's credential, and the task's URL passed the allowlist (config/executors.ts),
      // not wherever it points on: a redirect is answered as a failure, never followed.
      redirect: 'manual',
    });
  } catch (error) {
    throw new Error(`the agent service at ${spec.endpoint} could not be reached: ${unreachable(error, timeoutMs, spec.endpoint)}`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    const location = response.headers.get('location');
    throw new Error(
      `${spec.method} ${spec.endpoint} answered ${response.status}, a redirect${location ? ` to ${location.slice(0, 200)}` : ''}, which is not followed: give the executor the URL that answers itself`,
    );
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200).trim();
    throw new Error(`${spec.method} ${spec.endpoint} answered ${response.status}${text ? `: ${text}` : ''}`);
  }
  await response.body?.cancel().catch(() => undefined);
}

/** Node's fetch failures ("fetch failed" with a system error as its cause), in a person's words. */
const CAUSES: Record<string, string> = {
  ECONNREFUSED: 'nothing answers there (connection refused)',
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

function unreachable(error: unknown, timeoutMs: number, endpoint: string): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer in ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : '';
  if (CAUSES[code]) return CAUSES[code];
  // Fetch's own refusal, before any connection: a port browsers block (6000, 6667, 10080…), said with no code.
  if (cause?.message === 'bad port') {
    return `fetch refuses port ${new URL(endpoint).port} (one of the ports browsers block): run the service on another port`;
  }
  if (error instanceof TypeError && /invalid url|url/i.test(error.message)) return 'it is not a valid URL';
  return code ? `the connection failed (${code})` : 'the connection failed';
}
