import { invalid } from '../../shared/errors';
import type { SecretBackend } from '../../shared/secrets';
import {
  backendStatus,
  deleteSecret,
  listSecrets,
  maskSecret,
  parseBackend,
  readSecret,
  resolveSecretRef,
  secretsSettings,
  setDefaultBackend,
  writeSecret,
} from '../secrets/secret-store';
import type { Handlers, OpContext } from './context';

type SecretOps = 'secret:set' | 'secret:get' | 'secret:list' | 'secret:rm' | 'secret:check' | 'secret:backendShow' | 'secret:backendSet';

const FALLBACK_WARNING = 'OS keyring is not reachable on this system — falling back to file keystore at ~/.wg/keystore/ (0600 perms).';

/** The backend asked for, else the configured default. */
function chosenBackend(given: string | undefined): SecretBackend {
  return given === undefined ? secretsSettings().default_backend : parseBackend(given);
}

/**
 * The keyring's fallback said once the command has done what it was asked: refused input is one line (the
 * refusal), nothing before it.
 */
function saidFallback<T>(backend: SecretBackend, ctx: OpContext, result: T): T {
  if (backend === 'keyring') ctx.warn?.(FALLBACK_WARNING);
  return result;
}

export const secretHandlers: Handlers<SecretOps> = {
  'secret:set': ({ name, value, stdinValue, backend }, ctx) => {
    if (value !== undefined && stdinValue !== undefined) throw invalid('--from-stdin and --value are mutually exclusive');
    if (value === undefined && stdinValue === undefined)
      throw invalid('give the value with --from-stdin (one line on standard input), or --value');
    const chosen = chosenBackend(backend);
    writeSecret(name, stdinValue ?? (value as string), chosen);
    if (value !== undefined)
      ctx.warn?.('providing secrets via --value flag may expose them in shell history. Prefer --from-stdin for scripts.');
    return saidFallback(chosen, ctx, { name, backend: chosen });
  },
  'secret:get': ({ name, reveal, backend }, ctx) => {
    const chosen = chosenBackend(backend);
    const value = readSecret(name, chosen);
    if (value === null) return saidFallback(chosen, ctx, { name, backend: chosen, found: false, masked: null });
    if (reveal) ctx.warn?.('displaying secret value.');
    return saidFallback(chosen, ctx, { name, backend: chosen, found: true, masked: maskSecret(value), ...(reveal ? { value } : {}) });
  },
  'secret:list': () => listSecrets(),
  'secret:rm': ({ name, backend, yes }, ctx) => {
    const chosen = chosenBackend(backend);
    if (!yes) throw invalid(`Refusing to delete '${name}' without --yes. Re-run with --yes to confirm.`);
    return saidFallback(chosen, ctx, { name, backend: chosen, deleted: deleteSecret(name, chosen) });
  },
  'secret:check': async ({ apiKeyRef }, ctx) => ({
    api_key_ref: apiKeyRef,
    reachable: (await resolveSecretRef(apiKeyRef, secretsSettings(), ctx.warn)) !== null,
  }),
  'secret:backendShow': () => {
    const settings = secretsSettings();
    return { ...settings, status: backendStatus(settings) };
  },
  'secret:backendSet': ({ backend }) => {
    const chosen = parseBackend(backend);
    setDefaultBackend(chosen);
    return { default_backend: chosen };
  },
};
