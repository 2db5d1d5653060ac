import { STATUS_CODES } from 'node:http';
import type { EndpointTested } from '../../shared/endpoints';
import { fetchFailure } from '../text/fetch-failure';

/*
 * The two requests `wg endpoints test` and `wg key check openrouter` make, as upstream's: the endpoint's models
 * list, and OpenRouter's key status. Redirects are not followed: a key is sent only to the URL the config names.
 */

const TIMEOUT_MS = 10_000;

/** Why a request got no answer, in a few plain words (no library's text). */
function unreachable(error: unknown): string {
  return fetchFailure(error, TIMEOUT_MS, { badPort: () => 'fetch refuses that port (one of the ports browsers block)' });
}

/** A body as upstream quotes it: its first 200 characters, then `...`. */
function truncated(body: string): string | null {
  if (body === '') return null;
  return body.length > 200 ? `${body.slice(0, 200)}...` : body;
}

/** Upstream's run_test: GET the endpoint's models list, with its key, and say what answered. */
export async function testEndpoint(name: string, provider: string, baseUrl: string, key: string | null): Promise<EndpointTested> {
  const base = baseUrl.replace(/\/+$/, '');
  const url = provider === 'anthropic' ? `${base}/v1/models` : `${base}/models`;
  const headers: Record<string, string> = {};
  if (key !== null) {
    if (provider === 'anthropic') Object.assign(headers, { 'x-api-key': key, 'anthropic-version': '2023-06-01' });
    else headers.authorization = `Bearer ${key}`;
  }
  const tested = { name, url, status: null, reason: null, connectivity: null, authentication: null, response: null };
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (error) {
    const why = unreachable(error);
    return { ...tested, ok: false, reason: why, refusal: `Could not connect to endpoint '${name}': ${why}` };
  }
  const status = response.status;
  const body = await response.text().catch(() => '');
  if (response.ok) {
    return {
      ...tested,
      ok: true,
      status,
      reason: STATUS_CODES[status] ?? 'OK',
      connectivity: 'OK',
      authentication: key !== null ? 'OK' : '(no key configured, may be required)',
    };
  }
  if (status === 401 || status === 403) {
    return { ...tested, ok: true, status, connectivity: 'OK', authentication: 'FAILED — check your API key', response: truncated(body) };
  }
  return { ...tested, ok: true, status, connectivity: 'OK (server responded)', response: truncated(body) };
}

/**
 * Upstream's check of an OpenRouter key: GET `<url>/key` with it (OpenRouter's key status: its limit and what is
 * left). Its `data`, or why it failed (`HTTP 401`, or why nothing answered).
 */
export async function checkOpenRouterKey(baseUrl: string, key: string): Promise<{ data: Record<string, unknown> } | { error: string }> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl.replace(/\/+$/, '')}/key`, {
      headers: { authorization: `Bearer ${key}` },
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    return { error: unreachable(error) };
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    return { error: `HTTP ${response.status}${STATUS_CODES[response.status] ? ` ${STATUS_CODES[response.status]}` : ''}` };
  }
  try {
    const body = (await response.json()) as Record<string, unknown>;
    const data = typeof body.data === 'object' && body.data !== null ? (body.data as Record<string, unknown>) : body;
    return { data };
  } catch {
    return { error: 'its answer was not JSON' };
  }
}
