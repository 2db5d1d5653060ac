import type { ExecutorType } from '../../shared/config-types';
import type { HostEnv } from './host-env';

/**
 * Which agent CLI can reach a model, by the provider the model registry names. Claude Code speaks
 * only to Anthropic; codex speaks the OpenAI Responses API to any endpoint given as a model
 * provider (`-c model_providers.<id>={base_url, env_key, wire_api}`), which OpenAI, OpenRouter
 * and Ollama all serve. A provider not listed here has no endpoint any executor knows.
 */
export interface ProviderRoute {
  executor: Extract<ExecutorType, 'claude' | 'codex'>;
  /** For codex: where the Responses API is, unless `baseUrlEnv` is set in the coordinator's environment. */
  baseUrl?: string;
  baseUrlEnv?: string;
  /** For codex: the variable that holds the API key (none for a local Ollama). */
  keyEnv?: string;
  label: string;
}

const ROUTES: Record<string, ProviderRoute> = {
  anthropic: { executor: 'claude', label: 'Anthropic' },
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

export const REACHABLE_PROVIDERS = Object.keys(ROUTES);

export function providerRoute(provider: string): ProviderRoute | null {
  return ROUTES[provider.toLowerCase()] ?? null;
}

const tomlString = (value: string) => JSON.stringify(value);

/**
 * The `-c` overrides that point codex at a provider's endpoint (under an id of our own, so a
 * user's own codex config is left alone). None for a provider codex does not reach.
 */
export function codexProviderArgs(provider: string, hostEnv: HostEnv): string[] {
  const route = providerRoute(provider);
  if (route?.executor !== 'codex') return [];
  const id = `wg-${provider.toLowerCase()}`;
  const baseUrl = (route.baseUrlEnv ? hostEnv[route.baseUrlEnv]?.trim() : '') || route.baseUrl || '';
  const fields = [`name = ${tomlString(route.label)}`, `base_url = ${tomlString(baseUrl)}`, 'wire_api = "responses"'];
  if (route.keyEnv) fields.push(`env_key = ${tomlString(route.keyEnv)}`);
  return ['-c', `model_provider=${tomlString(id)}`, '-c', `model_providers.${id}={ ${fields.join(', ')} }`];
}
