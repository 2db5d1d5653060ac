/**
 * Upstream's model specs: `provider:model` (`claude:opus`, `codex:gpt-5-codex`) or a bare name
 * (`opus`). Only the providers upstream knows count as a prefix (KNOWN_PROVIDERS), so
 * a model id that itself holds a colon is left whole.
 */
const KNOWN_PROVIDERS = [
  'claude',
  'openrouter',
  'nex',
  'oai-compat',
  'openai',
  'codex',
  'gemini',
  'ollama',
  'llamacpp',
  'vllm',
  'local',
  'native',
] as const;

export interface ModelSpec {
  provider: string | null;
  model: string;
}

export function parseModelSpec(spec: string): ModelSpec {
  const at = spec.indexOf(':');
  if (at > 0) {
    const prefix = spec.slice(0, at);
    if ((KNOWN_PROVIDERS as readonly string[]).includes(prefix)) return { provider: prefix, model: spec.slice(at + 1) };
  }
  return { provider: null, model: spec };
}

/** The executor a provider prefix names, where this app has it (upstream: claude → claude, codex → codex). */
export function executorFromModel(spec: string): string | null {
  const { provider } = parseModelSpec(spec);
  return provider === 'claude' || provider === 'codex' ? provider : null;
}
