import type { LaunchSpec } from '../../executors/launch';
import { fetchFailure } from '../../text/fetch-failure';

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

function unreachable(error: unknown, timeoutMs: number, endpoint: string): string {
  return fetchFailure(error, timeoutMs, {
    refused: 'nothing answers there (connection refused)',
    badPort: () => `fetch refuses port ${new URL(endpoint).port} (one of the ports browsers block): run the service on another port`,
  });
}
