import { z } from 'zod';
import { op } from '../define';
import type { EndpointShown, EndpointTested, KeyStatus } from '../../endpoints';

const endpointName = () => z.string({ error: 'name an endpoint' }).min(1, 'name an endpoint').max(200);
const provider = () => z.string().min(1).max(100);
const url = () =>
  z
    .string()
    .max(2000)
    .regex(/^https?:\/\/\S+$/i, 'the URL must start with http:// or https://');
const envName = () => z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name: letters, digits and _');
const global = () => z.boolean().optional().describe('Target global config (~/.wg/config.toml)');

/** The fields `add` and `update` share, under upstream's flags. */
const endpointFields = () => ({
  name: endpointName(),
  provider: provider().optional().describe('Provider type: anthropic, openai, openrouter, local'),
  url: url().optional().describe('API endpoint URL (defaults based on provider)'),
  model: z.string().min(1).max(500).optional().describe('Default model for this endpoint'),
  apiKey: z
    .string()
    .min(1)
    .max(100_000)
    .optional()
    .describe('API key (prefer --api-key-file): kept in a file of 0600 in the global folder, never in config.toml'),
  apiKeyFile: z.string().min(1).max(4096).optional().describe('Path to a file containing the API key'),
  keyEnv: envName().optional().describe('Environment variable name to read the API key from'),
  default: z.boolean().optional().describe('Set as the default endpoint'),
  global: global(),
});

/**
 * Operations: upstream's `wg endpoints` and `wg key`, its `[[llm_endpoints.endpoints]]` of config.toml (the project's,
 * or the global one with --global). A key is never printed whole; one given by value goes to a file of 0600 in the
 * person's global folder (`keys/<name>.key`), which the endpoint names. The coordinator's admin only
 * (person-authority.ts), never an agent's run (run-authority.ts).
 */
export const endpointOps = {
  'endpoints:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List all configured endpoints',
    input: () => z.object({}),
    cli: { command: 'endpoints list' },
  }).returns<EndpointShown[]>(),
  'endpoints:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Add a new endpoint',
    input: () => z.object(endpointFields()),
    cli: { command: 'endpoints add', args: ['name'] },
  }).returns<{ name: string; provider: string; is_default: boolean }>(),
  'endpoints:update': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Update an existing endpoint (only specified fields are changed)',
    input: () => z.object(endpointFields()),
    cli: { command: 'endpoints update', args: ['name'] },
  }).returns<{ name: string; changed: string[] }>(),
  'endpoints:remove': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove an endpoint by name',
    input: () => z.object({ name: endpointName(), global: global() }),
    cli: { command: 'endpoints remove', args: ['name'] },
  }).returns<{ name: string; promoted: string | null }>(),
  'endpoints:setDefault': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Set an endpoint as the default',
    input: () => z.object({ name: endpointName(), global: global() }),
    cli: { command: 'endpoints set-default', args: ['name'] },
  }).returns<{ name: string }>(),
  'endpoints:test': op({
    kind: 'query',
    scope: 'store',
    summary: 'Test endpoint connectivity (hits /models API)',
    input: () => z.object({ name: endpointName() }),
    cli: { command: 'endpoints test', args: ['name'], failsWhenNotOk: true },
  }).returns<EndpointTested>(),
  'key:set': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Configure an API key for a provider',
    input: () =>
      z.object({
        provider: z
          .string({ error: 'name a provider, e.g. openrouter' })
          .min(1)
          .max(200)
          .describe('Provider name (e.g., openrouter, anthropic, openai)'),
        env: envName().optional().describe('Reference an environment variable by name'),
        file: z.string().min(1).max(4096).optional().describe('Path to a file containing the key'),
        value: z
          .string()
          .min(1)
          .max(100_000)
          .optional()
          .describe('Store key value directly (written to ~/.wg/keys/<provider>.key, NOT to config); prefer --from-stdin'),
        /** What --from-stdin read: the key never in argv. */
        stdinValue: z.string().max(100_000).optional(),
        global: z.boolean().optional().describe('Apply to global config (~/.wg/config.toml)'),
      }),
    cli: { command: 'key set', args: ['provider'], stdin: 'stdinValue', stdinFlag: 'from-stdin', hidden: ['stdinValue'] },
  }).returns<{ provider: string; source: string; stored_in: string | null }>(),
  'key:check': op({
    kind: 'query',
    scope: 'store',
    summary: 'Validate API key availability and status',
    input: () => z.object({ provider: z.string().min(1).max(200).optional().describe('Provider name (omit to check all)') }),
    cli: { command: 'key check', args: ['provider'] },
  }).returns<KeyStatus | KeyStatus[]>(),
  'key:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show key configuration status for all providers',
    input: () => z.object({}),
    cli: { command: 'key list' },
  }).returns<KeyStatus[]>(),
};
