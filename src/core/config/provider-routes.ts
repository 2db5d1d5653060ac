import type { ExecutorType } from '../../shared/config-types';

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

export const ROUTES: Record<string, ProviderRoute> = {
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
