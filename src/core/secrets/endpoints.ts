import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { conflict, invalid, WgError } from '../../shared/errors';
import { readRegularFile } from '../files/regular-file';
import { type ConfigPaths, readGlobalConfig, readProjectConfig, updateProjectConfig } from '../config/project-config';
import { section, type TomlTable, updateToml } from '../config/toml-file';
import { resolveSecretRef } from './secret-store';

/*
 * Upstream's `[[llm_endpoints.endpoints]]` (its EndpointConfig), as `wg endpoints` and `wg key` read and write them:
 * the same table in the same config.toml (the project's, or the global one with --global), every field upstream
 * writes kept, so a project's endpoints move between the two tools.
 */

/** One endpoint as config.toml holds it; fields of a newer upstream are kept as they are. */
export interface EndpointConfig extends TomlTable {
  name: string;
  provider: string;
  url?: string;
  model?: string;
  api_key?: string;
  api_key_file?: string;
  api_key_env?: string;
  api_key_ref?: string;
  is_default: boolean;
}

/** Upstream's KNOWN_PROVIDERS: an endpoint named after one of them is of that provider. */
const KNOWN_PROVIDERS = ['anthropic', 'openai', 'openrouter', 'gemini', 'ollama', 'llamacpp', 'vllm', 'local'];

/** Upstream's infer_provider_from_name: a known provider's name (any case), else anthropic. */
export function inferProvider(name: string): string {
  const lower = name.toLowerCase();
  return KNOWN_PROVIDERS.includes(lower) ? lower : 'anthropic';
}

/** Upstream's default_url_for_provider: '' for a provider it has none for. */
export function defaultUrlFor(provider: string): string {
  const urls: Record<string, string> = {
    anthropic: 'https://api.anthropic.com',
    openai: 'https://api.openai.com/v1',
    openrouter: 'https://openrouter.ai/api/v1',
    gemini: 'https://generativelanguage.googleapis.com/v1beta/openai',
    ollama: 'http://localhost:11434/v1',
    llamacpp: 'http://localhost:8080/v1',
    vllm: 'http://localhost:8000/v1',
    local: 'http://localhost:11434/v1',
  };
  return urls[provider] ?? '';
}

/** Upstream's env_var_names_for_provider: where a key is looked for when the endpoint names none. */
function providerEnvNames(provider: string): readonly string[] {
  if (provider === 'openrouter') return ['OPENROUTER_API_KEY', 'OPENAI_API_KEY'];
  if (provider === 'openai') return ['OPENAI_API_KEY'];
  if (provider === 'anthropic') return ['ANTHROPIC_API_KEY'];
  return [];
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** An entry as upstream's serde reads it: a provider defaults to anthropic, is_default to false. */
function normalized(raw: unknown, file: string, index: number): EndpointConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof (raw as TomlTable).name !== 'string') {
    throw invalid(`${file}: llm_endpoints.endpoints item ${index + 1} has no name`);
  }
  const entry = raw as TomlTable;
  return { ...entry, name: entry.name as string, provider: text(entry.provider) ?? 'anthropic', is_default: entry.is_default === true };
}

function endpointsIn(table: TomlTable, file: string): EndpointConfig[] {
  const llm = table.llm_endpoints;
  const list = typeof llm === 'object' && llm !== null && !Array.isArray(llm) ? (llm as TomlTable).endpoints : undefined;
  return Array.isArray(list) ? list.map((raw, i) => normalized(raw, file, i)) : [];
}

/**
 * Upstream's load_merged of the endpoints: the project's list replaces the global one, unless the project's
 * `[llm_endpoints]` says `inherit_global = true` (then the global ones it does not name come first).
 */
export async function readEndpoints(paths: ConfigPaths): Promise<EndpointConfig[]> {
  const global = endpointsIn(readGlobalConfig(paths), paths.globalConfig);
  const projectTable = await readProjectConfig(paths);
  const own = endpointsIn(projectTable, paths.config);
  if (own.length === 0) return global;
  const inherit = (projectTable.llm_endpoints as TomlTable | undefined)?.inherit_global === true;
  return inherit ? [...global.filter((g) => !own.some((o) => o.name === g.name)), ...own] : own;
}

/**
 * Read-modify-write of one layer's endpoints (the project's config, or the global one), as upstream's
 * `Config::load` then `save`: the other tables of the file are left as they are.
 */
export async function updateEndpoints<T>(
  paths: ConfigPaths,
  global: boolean | undefined,
  change: (endpoints: EndpointConfig[]) => T,
): Promise<T> {
  let result: T | undefined;
  const apply = (table: TomlTable) => {
    const file = global ? paths.globalConfig : paths.config;
    const endpoints = endpointsIn(table, file);
    result = change(endpoints);
    const llm = section(table, 'llm_endpoints');
    if (endpoints.length === 0) delete llm.endpoints;
    else llm.endpoints = endpoints.map(withoutEmpty);
    if (Object.keys(llm).length === 0) delete table.llm_endpoints;
  };
  if (global) updateToml(paths.globalConfig, apply);
  else await updateProjectConfig(paths, apply);
  return result as T;
}

/** Upstream skips a field that is None: a key source cleared is gone from the file, not written empty. */
function withoutEmpty(entry: EndpointConfig): TomlTable {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/** Where a project's relative key file is found: upstream resolves it against the project's `.wg` folder. */
const projectFolder = (paths: ConfigPaths) => dirname(paths.config);

function expandPath(file: string, paths: ConfigPaths): string {
  if (file === '~' || file.startsWith('~/')) return join(homedir(), file.slice(1));
  return isAbsolute(file) ? file : join(projectFolder(paths), file);
}

/**
 * Upstream's resolve_api_key: the inline key, the key file, the secret ref, the named variable, then the provider's
 * own variables. Null when none is there; a key file that cannot be read, or is empty, is an error, as upstream's.
 */
export async function resolveApiKey(endpoint: EndpointConfig, paths: ConfigPaths): Promise<string | null> {
  if (endpoint.api_key) return endpoint.api_key;
  if (endpoint.api_key_file) {
    const file = expandPath(endpoint.api_key_file, paths);
    let read: ReturnType<typeof readRegularFile>;
    try {
      read = readRegularFile(file);
    } catch {
      read = null;
    }
    if (read === null) throw invalid(`Failed to read API key from ${file}`);
    const key = read.text.trim();
    if (key === '') throw invalid(`API key file ${file} is empty`);
    return key;
  }
  if (endpoint.api_key_ref) {
    const key = (await resolveSecretRef(endpoint.api_key_ref))?.trim();
    if (key) return key;
  }
  for (const name of [...(endpoint.api_key_env ? [endpoint.api_key_env] : []), ...providerEnvNames(endpoint.provider)]) {
    const key = process.env[name]?.trim();
    if (key) return key;
  }
  return null;
}

/** Whether a key is there: present, missing, or why it cannot be read (upstream's `Err` arm). */
export async function keyState(endpoint: EndpointConfig, paths: ConfigPaths): Promise<{ key: string | null; error: string | null }> {
  try {
    return { key: await resolveApiKey(endpoint, paths), error: null };
  } catch (error) {
    return { key: null, error: error instanceof WgError ? error.message : 'the key could not be read' };
  }
}

/**
 * Upstream's masked_key: an inline key's first three and last four characters, else where it comes from. Upstream
 * shows them from nine characters on; here only from 24 (an API key's length), as `wg secret get` does, so a short
 * key's preview is never most of it.
 */
export function maskedKey(endpoint: EndpointConfig): string {
  const key = endpoint.api_key;
  if (key !== undefined && key !== '') return key.length >= 24 ? `${key.slice(0, 3)}****...${key.slice(-4)}` : '****';
  if (endpoint.api_key_file) return '(from file)';
  if (endpoint.api_key_env) return `(from env: ${endpoint.api_key_env})`;
  return '(not set)';
}

/** Upstream's key_source: where the key is configured to come from. */
export function keySource(endpoint: EndpointConfig): string {
  if (endpoint.api_key) return 'inline';
  if (endpoint.api_key_file) return `file: ${endpoint.api_key_file}`;
  if (endpoint.api_key_env) return `env: ${endpoint.api_key_env}`;
  if (endpoint.api_key_ref) return `ref: ${endpoint.api_key_ref}`;
  const found = providerEnvNames(endpoint.provider).find((name) => process.env[name] !== undefined);
  return found ? `env: ${found} (auto-detected)` : '(not configured)';
}

/** An endpoint's or provider's name is a key file's name (`keys/<name>.key`): no folder, no `..`. */
export function checkKeyName(name: string, what: string): void {
  if (name.trim() === '') throw invalid(`${what} cannot be empty`);
  if (/[/\\\0]/.test(name) || name.includes('..') || /[\r\n]/.test(name)) throw invalid(`${what} '${name}' contains invalid characters`);
}

/** The endpoint of that name in the list, or the refusal upstream gives ("Endpoint 'x' not found."). */
export function endpointNamed(endpoints: readonly EndpointConfig[], name: string): EndpointConfig {
  const found = endpoints.find((e) => e.name === name);
  if (!found) throw new WgError('not_found', `Endpoint '${name}' not found.`);
  return found;
}

/** Upstream's add refuses a second endpoint of a name. */
export function refuseDuplicate(endpoints: readonly EndpointConfig[], name: string): void {
  if (endpoints.some((e) => e.name === name)) throw conflict(`Endpoint '${name}' already exists. Remove it first or use a different name.`);
}
