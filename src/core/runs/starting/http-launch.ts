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
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new Error(`${spec.method} ${spec.endpoint} failed${cause || `: ${error instanceof Error ? error.message : String(error)}`}`);
  }
  if (!response.ok) {
    const text = (await response.text().catch(() => '')).slice(0, 200).trim();
    throw new Error(`${spec.method} ${spec.endpoint} answered ${response.status}${text ? `: ${text}` : ''}`);
  }
  await response.body?.cancel().catch(() => undefined);
}
