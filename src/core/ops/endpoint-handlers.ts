import { invalid } from '../../shared/errors';
import type { KeyStatus } from '../../shared/endpoints';
import { checkOpenRouterKey, testEndpoint } from '../secrets/endpoint-probe';
import {
  checkKeyName,
  defaultUrlFor,
  type EndpointConfig,
  endpointNamed,
  inferProvider,
  keySource,
  keyState,
  maskedKey,
  readEndpoints,
  refuseDuplicate,
  resolveApiKey,
  updateEndpoints,
} from '../secrets/endpoints';
import { writeKeyFile } from '../secrets/key-files';
import type { ConfigPaths } from '../config/project-config';
import type { Handlers, OpContext } from './context';

type EndpointOps =
  | 'endpoints:list'
  | 'endpoints:add'
  | 'endpoints:update'
  | 'endpoints:remove'
  | 'endpoints:setDefault'
  | 'endpoints:test'
  | 'key:set'
  | 'key:check'
  | 'key:list';

/** Upstream's `wg secret set --value` warning, with what to use instead here. */
const SHELL_HISTORY = (flag: string, instead: string) =>
  `providing secrets via ${flag} may expose them in shell history. Prefer ${instead}.`;

/** A key given by value goes to a file of 0600; the endpoint names the file, never the key (least authority). */
function keptKey(name: string, apiKey: string | undefined, apiKeyFile: string | undefined, ctx: OpContext): string | undefined {
  if (apiKey !== undefined && apiKeyFile !== undefined) throw invalid('give --api-key or --api-key-file, not both');
  if (apiKey === undefined) return apiKeyFile;
  ctx.warn?.(SHELL_HISTORY('--api-key', '--api-key-file, or `wg key set NAME --from-stdin`'));
  return writeKeyFile(name, apiKey);
}

/** Upstream's key check of one endpoint: where the key comes from, whether it is there, and OpenRouter's word on it. */
async function checkOne(ep: EndpointConfig, paths: ConfigPaths): Promise<KeyStatus> {
  const base = { provider: ep.provider, name: ep.name, source: keySource(ep) };
  const { key, error } = await keyState(ep, paths);
  if (error !== null) return { ...base, status: 'error', error };
  if (key === null) return { ...base, status: 'missing', key_env: ep.api_key_env ?? null };
  if (ep.provider !== 'openrouter') return { ...base, status: 'present' };
  const live = await checkOpenRouterKey(ep.url ?? defaultUrlFor('openrouter'), key);
  return 'data' in live ? { ...base, status: 'valid', credits: live.data } : { ...base, status: 'present', validation_error: live.error };
}

/** Each endpoint's key: present, missing, or the error reading it (upstream's list and check-all). */
async function statusOfAll(paths: ConfigPaths, errorWords: (error: string) => string): Promise<KeyStatus[]> {
  const endpoints = await readEndpoints(paths);
  return Promise.all(
    endpoints.map(async (ep) => {
      const { key, error } = await keyState(ep, paths);
      const status = error !== null ? errorWords(error) : key !== null ? 'present' : 'missing';
      return { provider: ep.provider, name: ep.name, source: keySource(ep), status };
    }),
  );
}

export const endpointHandlers: Handlers<EndpointOps> = {
  'endpoints:list': async (_input, { paths }) =>
    Promise.all(
      (await readEndpoints(paths)).map(async (ep) => ({
        name: ep.name,
        provider: ep.provider,
        url: ep.url ?? defaultUrlFor(ep.provider),
        model: ep.model ?? null,
        api_key: maskedKey(ep),
        key_env: ep.api_key_env ?? null,
        key_source: keySource(ep),
        key_present: (await keyState(ep, paths)).key !== null,
        is_default: ep.is_default,
      })),
    ),
  'endpoints:add': (input, ctx) => {
    checkKeyName(input.name, 'Endpoint name');
    return updateEndpoints(ctx.paths, input.global, (endpoints) => {
      refuseDuplicate(endpoints, input.name);
      const isDefault = input.default === true || endpoints.length === 0;
      if (isDefault) for (const ep of endpoints) ep.is_default = false;
      const provider = input.provider ?? inferProvider(input.name);
      const keyFile = keptKey(input.name, input.apiKey, input.apiKeyFile, ctx);
      endpoints.push({
        name: input.name,
        provider,
        url: input.url,
        model: input.model,
        api_key_file: keyFile,
        api_key_env: input.keyEnv,
        is_default: isDefault,
      });
      return { name: input.name, provider, is_default: isDefault };
    });
  },
  'endpoints:update': (input, ctx) =>
    updateEndpoints(ctx.paths, input.global, (endpoints) => {
      const ep = endpointNamed(endpoints, input.name);
      const changed: string[] = [];
      if (input.provider !== undefined) {
        ep.provider = input.provider;
        changed.push('provider');
      }
      if (input.url !== undefined) {
        ep.url = input.url;
        changed.push('url');
      }
      if (input.model !== undefined) {
        ep.model = input.model;
        changed.push('model');
      }
      const keyFile = keptKey(input.name, input.apiKey, input.apiKeyFile, ctx);
      if (keyFile !== undefined) {
        // Upstream clears the inline key when a file is set: one source of the key at a time.
        ep.api_key_file = keyFile;
        ep.api_key = undefined;
        changed.push(input.apiKey !== undefined ? 'api_key' : 'api_key_file');
      }
      if (input.keyEnv !== undefined) {
        ep.api_key_env = input.keyEnv;
        changed.push('key_env');
      }
      if (input.default === true) {
        for (const other of endpoints) other.is_default = other.name === input.name;
        changed.push('default');
      }
      if (changed.length === 0)
        throw invalid('No fields specified to update. Use --provider, --url, --model, --api-key, --api-key-file, --key-env, or --default.');
      return { name: input.name, changed };
    }),
  'endpoints:remove': async ({ name, global }, ctx) => {
    const result = await updateEndpoints(ctx.paths, global, (endpoints) => {
      const ep = endpointNamed(endpoints, name);
      endpoints.splice(endpoints.indexOf(ep), 1);
      // Upstream promotes the first one left when the default is removed.
      const next = ep.is_default ? endpoints[0] : undefined;
      if (next) next.is_default = true;
      return { name, promoted: next?.name ?? null };
    });
    if (result.promoted !== null) ctx.warn?.(`Note: '${name}' was default. Promoted '${result.promoted}' to default.`);
    return result;
  },
  'endpoints:setDefault': ({ name, global }, { paths }) =>
    updateEndpoints(paths, global, (endpoints) => {
      endpointNamed(endpoints, name);
      for (const ep of endpoints) ep.is_default = ep.name === name;
      return { name };
    }),
  'endpoints:test': async ({ name }, { paths }) => {
    const ep = endpointNamed(await readEndpoints(paths), name);
    const base = ep.url ?? defaultUrlFor(ep.provider);
    if (base === '') throw invalid(`No URL configured for endpoint '${name}' (provider: ${ep.provider})`);
    return testEndpoint(name, ep.provider, base, await resolveApiKey(ep, paths));
  },
  'key:set': ({ provider, env, file, value, stdinValue, global }, ctx) => {
    const given = [env, file, value, stdinValue].filter((v) => v !== undefined).length;
    if (given === 0) throw invalid('Specify one of --env, --file, --value or --from-stdin');
    if (given > 1) throw invalid('Specify only one of --env, --file, --value or --from-stdin');
    checkKeyName(provider, 'Provider name');
    return updateEndpoints(ctx.paths, global, (endpoints) => {
      const keyValue = value ?? stdinValue;
      const stored = keyValue === undefined ? null : writeKeyFile(provider, keyValue);
      if (value !== undefined) ctx.warn?.(SHELL_HISTORY('--value', '--from-stdin'));
      const keyFile = stored ?? file;
      const ep = endpoints.find((e) => e.provider === provider || e.name === provider);
      if (ep) {
        // Upstream clears the previous key fields when the source changes: one source of the key at a time.
        ep.api_key = undefined;
        ep.api_key_env = env;
        ep.api_key_file = keyFile;
      } else {
        endpoints.push({ name: provider, provider, api_key_file: keyFile, api_key_env: env, is_default: endpoints.length === 0 });
      }
      return { provider, source: env !== undefined ? `using env var ${env}` : `using key file ${keyFile}`, stored_in: stored };
    });
  },
  'key:check': async ({ provider }, { paths }) => {
    if (provider === undefined) return statusOfAll(paths, (error) => `error: ${error}`);
    const ep = (await readEndpoints(paths)).find((e) => e.provider === provider || e.name === provider);
    if (!ep) return { provider, status: 'not_configured', error: `No endpoint configured for '${provider}'` };
    return checkOne(ep, paths);
  },
  'key:list': (_input, { paths }) => statusOfAll(paths, () => 'error'),
};
