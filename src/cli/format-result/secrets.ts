import type { Formatters } from './formatters';

/** `wg secret`, in upstream's words: a value printed only when `--reveal` asked for it. */

const rerun = (ref: string): string | null => {
  const [scheme, name] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  if (scheme === 'keyring') return `Run: wg secret set ${name}`;
  if (scheme === 'keystore') return `Run: wg secret set ${name} --backend keystore`;
  if (scheme === 'plain') return `Run: wg secret set ${name} --backend plaintext`;
  return null;
};

export const secretFormatters: Formatters = {
  'secret:set': (r) => `Secret '${r.name}' stored in ${r.backend} backend.`,
  'secret:get': (r) => {
    if (!r.found) return `Secret '${r.name}' not found in ${r.backend} backend.\nRun: wg secret set ${r.name}`;
    if (r.value !== undefined) return r.value;
    return `Secret '${r.name}' exists: ${r.masked} (use --reveal to show full value)`;
  },
  'secret:list': (names) =>
    names.length === 0
      ? 'No secrets stored.\nRun: wg secret set <name>'
      : ['Stored secrets (names only):', ...names.map((n) => `  ${n}`)].join('\n'),
  'secret:rm': (r) =>
    r.deleted ? `Secret '${r.name}' deleted from ${r.backend} backend.` : `Secret '${r.name}' not found in ${r.backend} backend.`,
  'secret:check': (r) =>
    r.reachable
      ? `Secret ref '${r.api_key_ref}' is reachable.`
      : [`Secret ref '${r.api_key_ref}' is NOT reachable (not found).`, ...(rerun(r.api_key_ref) ? [rerun(r.api_key_ref)] : [])].join('\n'),
  'secret:backendShow': (r) => r.status,
  'secret:backendSet': (r) => `Default secret backend set to: ${r.default_backend}`,
};
