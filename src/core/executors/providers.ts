import { ROUTES, type ProviderRoute } from '../config/provider-routes';
import type { HostEnv } from './host-env';
import type { ModelEndpoint } from './launch';

/**
 * The route to a model. A model with an endpoint of its own goes to that endpoint through codex,
 * whatever its provider is called, so registry prices combine with one's own endpoint (except an
 * Anthropic model: Claude Code takes its endpoint from its own environment, ANTHROPIC_BASE_URL);
 * provider `codex` keeps the person's codex config; otherwise the provider's known endpoint.
 * Null when nothing reaches it.
 */
export function providerRoute(provider: string, endpoint?: ModelEndpoint): ProviderRoute | null {
  const known = ROUTES[provider.toLowerCase()];
  if (known?.ownConfig) return known;
  if (endpoint && known?.executor === 'claude') return null;
  if (endpoint?.url) {
    return { executor: 'codex', baseUrl: endpoint.url, ...(endpoint.keyEnv ? { keyEnv: endpoint.keyEnv } : {}), label: endpoint.name };
  }
  return endpoint ? null : (known ?? null);
}

const tomlString = (value: string) => JSON.stringify(value);

/** A codex provider id of our own: letters, digits, `-` and `_` (it is a key in `model_providers.<id>`). */
function providerId(name: string): string {
  return `wg-${name.toLowerCase().replace(/[^a-z0-9_-]+/g, '-')}`;
}

/**
 * The `-c` overrides that point codex at a model's endpoint (under an id of our own, so a user's
 * own codex config is left alone). None for provider `codex` (the person's config decides) and
 * for a model codex does not reach.
 */
export function codexProviderArgs(provider: string, hostEnv: HostEnv, endpoint?: ModelEndpoint): string[] {
  const route = providerRoute(provider, endpoint);
  if (route?.executor !== 'codex' || route.ownConfig) return [];
  const id = providerId(endpoint?.url ? `endpoint-${endpoint.name}` : provider);
  const baseUrl = (route.baseUrlEnv ? hostEnv[route.baseUrlEnv]?.trim() : '') || route.baseUrl || '';
  const fields = [`name = ${tomlString(route.label)}`, `base_url = ${tomlString(baseUrl)}`, 'wire_api = "responses"'];
  if (route.keyEnv) fields.push(`env_key = ${tomlString(route.keyEnv)}`);
  return ['-c', `model_provider=${tomlString(id)}`, '-c', `model_providers.${id}={ ${fields.join(', ')} }`];
}
