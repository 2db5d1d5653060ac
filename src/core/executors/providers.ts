import type { ExecutorType } from '../../shared/config-types';
import type { HostEnv } from './host-env';
import type { ModelEndpoint } from './launch';

/**
 * Which agent CLI can reach a model, by the provider the model registry names (and the model's
 * own endpoint, when it names one). Claude Code speaks only to Anthropic; codex speaks the OpenAI
 * Responses API to any endpoint given as a model provider (`-c model_providers.<id>={base_url,
 * env_key, wire_api}`), which OpenAI, OpenRouter and Ollama all serve. Provider `codex` is
 * upstream's "through codex" (provider_to_executor): codex with the person's own config
 * (CODEX_HOME's model_provider), nothing overridden.
 */
export interface ProviderRoute {
  executor: Extract<ExecutorType, 'claude' | 'codex'>;
  /** For codex: where the Responses API is, unless `baseUrlEnv` is set in the coordinator's environment. */
  baseUrl?: string;
  baseUrlEnv?: string;
  /** For codex: the variable that holds the API key (none for a local Ollama). */
  keyEnv?: string;
  /** For codex: the person's own config decides the endpoint; no override is passed. */
  ownConfig?: boolean;
  label: string;
}

const ROUTES: Record<string, ProviderRoute> = {
  anthropic: { executor: 'claude', label: 'Anthropic' },
  codex: { executor: 'codex', ownConfig: true, label: 'your codex config' },
  openai: {
    executor: 'codex',
    baseUrl: 'https://api.openai.com/v1',
    baseUrlEnv: 'OPENAI_BASE_URL',
    keyEnv: 'OPENAI_API_KEY',
    label: 'OpenAI',
  },
  openrouter: {
    executor: 'codex',
    baseUrl: 'https://openrouter.ai/api/v1',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    keyEnv: 'OPENROUTER_API_KEY',
    label: 'OpenRouter',
  },
  ollama: { executor: 'codex', baseUrl: 'http://localhost:11434/v1', baseUrlEnv: 'OLLAMA_BASE_URL', label: 'Ollama' },
};

/** The providers reachable without an endpoint of the model's own. */
export const REACHABLE_PROVIDERS = Object.keys(ROUTES);

/** A provider's default URL and key variable, for an `[[llm_endpoints.endpoints]]` entry that leaves them out. */
export function providerDefaults(provider: string): { url: string | null; keyEnv: string | null } {
  const route = ROUTES[provider.toLowerCase()];
  return { url: route?.baseUrl ?? null, keyEnv: route?.keyEnv ?? null };
}

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
