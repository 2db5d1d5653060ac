import { z } from 'zod';
import { op } from '../define';
import type { SecretBackend, SecretShown } from '../../secrets';

const name = () => z.string({ error: 'a secret needs a name' }).max(200);
const backend = () => z.string().max(50).optional().describe('backend to use: keyring (default), keystore, or plaintext');

/**
 * Operations: upstream's `wg secret`, the person's API keys in their global folder (WG_HOME, else ~/.wg): never
 * a value printed unless asked (`get --reveal`), files of mode 0600. A person's admin only (person-authority.ts),
 * never an agent's run (run-authority.ts).
 */
export const secretOps = {
  'secret:set': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      'Store a secret (API key) in the credential store: --from-stdin reads one line (the value never in argv); --value works but warns',
    input: () =>
      z.object({
        name: name(),
        value: z.string().max(100_000).optional().describe('secret value (visible in argv / shell history — prefer --from-stdin)'),
        /** What --from-stdin read: a field of its own, so that --value alone is warned of and both at once refused. */
        stdinValue: z.string().max(100_000).optional(),
        backend: backend(),
      }),
    cli: { command: 'secret set', args: ['name'], stdin: 'stdinValue', stdinFlag: 'from-stdin', hidden: ['stdinValue'] },
  }).returns<{ name: string; backend: SecretBackend }>(),
  'secret:get': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show a secret (masked: "sk-a****...ef12"; the full value only with --reveal)',
    input: () =>
      z.object({ name: name(), reveal: z.boolean().optional().describe('print the full value (with a warning)'), backend: backend() }),
    cli: { command: 'secret get', args: ['name'] },
  }).returns<SecretShown>(),
  'secret:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List stored secret names (never values)',
    input: () => z.object({}),
    cli: { command: 'secret list' },
  }).returns<string[]>(),
  'secret:rm': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Delete a stored secret (refused without --yes)',
    input: () => z.object({ name: name(), backend: backend(), yes: z.boolean().optional().describe('confirm the deletion') }),
    cli: { command: 'secret rm', args: ['name'], short: { yes: 'y' } },
  }).returns<{ name: string; backend: SecretBackend; deleted: boolean }>(),
  'secret:check': op({
    kind: 'query',
    scope: 'store',
    summary: 'Check whether a secret ref is reachable (keyring:<name>, keystore:<name>, plain:<name>, env:<VAR>, op://<path>, pass:<path>)',
    input: () => z.object({ apiKeyRef: z.string({ error: 'give a secret ref, e.g. keystore:openrouter' }).min(1).max(1000) }),
    cli: { command: 'secret check', args: ['apiKeyRef'] },
  }).returns<{ api_key_ref: string; reachable: boolean }>(),
  'secret:backendShow': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show which secret backends are active and reachable',
    input: () => z.object({}),
    cli: { command: 'secret backend show' },
  }).returns<{ default_backend: SecretBackend; allow_plaintext: boolean; status: string }>(),
  'secret:backendSet': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Set the default backend for new `wg secret set` calls (in the global config.toml)',
    input: () => z.object({ backend: z.string({ error: 'name a backend: keyring, keystore or plaintext' }).max(50) }),
    cli: { command: 'secret backend set', args: ['backend'] },
  }).returns<{ default_backend: SecretBackend }>(),
};
