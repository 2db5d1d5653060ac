import type { KeyStatus } from '../../shared/endpoints';
import type { Formatters } from './formatters';

/** `wg endpoints` and `wg key`, in upstream's words and layout: a key masked, never whole. */

const mark = (good: boolean) => (good ? '\u2713' : '\u2717');

/** Upstream's check of one provider, line by line (`wg key check`'s check_single_provider). */
function checkedOne(r: KeyStatus): string {
  if (r.status === 'not_configured') {
    return [
      `Provider: ${r.provider}`,
      '  Status: not configured',
      `  Add one with: wg endpoint add ${r.provider} --provider ${r.provider}`,
    ].join('\n');
  }
  const lines = [`Provider: ${r.provider}`];
  if (r.status !== 'missing' && r.status !== 'error' && r.name !== r.provider) lines.push(`  Endpoint: ${r.name}`);
  lines.push(`  Key source: ${r.source}`);
  if (r.status === 'valid') {
    lines.push(`  Key status: ${mark(true)} valid`);
    const remaining = r.credits?.limit_remaining;
    const limit = r.credits?.limit;
    if (remaining !== undefined && remaining !== null) lines.push(`  Credits:    $${String(remaining)}`);
    if (limit !== undefined && limit !== null) lines.push(`  Rate limit: ${String(limit)} req/min`);
  } else if (r.status === 'present' && r.validation_error !== undefined) {
    lines.push(`  Key status: ${mark(false)} validation failed (${r.validation_error})`);
  } else if (r.status === 'present') lines.push(`  Key status: ${mark(true)} present`);
  else if (r.status === 'missing') {
    lines.push(`  Key status: ${mark(false)} not found`);
    lines.push(
      r.key_env
        ? `  Hint: Set the ${r.key_env} environment variable`
        : `  Hint: Run 'wg key set ${r.provider} --env <VAR>' or 'wg key set ${r.provider} --value <key>'`,
    );
  } else lines.push(`  Key status: ${mark(false)} error: ${r.error ?? ''}`);
  return lines.join('\n');
}

export const endpointFormatters: Formatters = {
  'endpoints:list': (endpoints) => {
    if (endpoints.length === 0) return 'No endpoints configured.\n  Add one with: wg endpoints add <name> --provider <provider>';
    const blocks = endpoints.map((ep) =>
      [
        `  ${ep.name}${ep.is_default ? ' (default)' : ''}`,
        `    provider: ${ep.provider}`,
        `    url:      ${ep.url}`,
        `    model:    ${ep.model ?? '(not set)'}`,
        `    api_key:  ${ep.api_key} ${mark(ep.key_present)}`,
        ...(ep.key_env ? [`    key_env:  ${ep.key_env}`] : []),
        '',
      ].join('\n'),
    );
    return ['Configured endpoints:', '', ...blocks].join('\n').trimEnd();
  },
  'endpoints:add': (r) => `Added endpoint '${r.name}' [${r.provider}]${r.is_default ? ' (set as default)' : ''}`,
  'endpoints:update': (r) => `Updated endpoint '${r.name}': ${r.changed.join(', ')}`,
  'endpoints:remove': (r) => `Removed endpoint '${r.name}'.`,
  'endpoints:setDefault': (r) => `Set '${r.name}' as default endpoint.`,
  'endpoints:test': (r) => {
    const lines = [`Testing endpoint '${r.name}' ...`, `  URL: ${r.url}`];
    if (!r.ok) return [...lines, `  Connection FAILED: ${r.reason ?? ''}`].join('\n');
    lines.push(`  Status: ${r.status}${r.reason ? ` ${r.reason}` : ''}`, `  Connectivity: ${r.connectivity}`);
    if (r.authentication !== null) lines.push(`  Authentication: ${r.authentication}`);
    if (r.response !== null) lines.push(`  Response: ${r.response}`);
    return lines.join('\n');
  },
  'key:set': (r) =>
    [...(r.stored_in ? [`Stored key securely in ${r.stored_in} (mode 600)`] : []), `Set API key for '${r.provider}': ${r.source}`].join(
      '\n',
    ),
  'key:check': (r) => {
    if (!Array.isArray(r)) return checkedOne(r);
    if (r.length === 0) return 'No endpoints configured.\n  Add one with: wg endpoint add <name> --provider <provider>';
    return [
      'API Key Status:',
      ...r.map(
        (k) =>
          `  ${(k.name !== k.provider ? `${k.name} (${k.provider})` : k.provider).padEnd(16)}${mark(k.status === 'present')} (${k.source})`,
      ),
    ].join('\n');
  },
  'key:list': (keys) => {
    if (keys.length === 0) return 'No endpoints configured.';
    return [
      `  ${'PROVIDER'.padEnd(16)}${'SOURCE'.padEnd(40)}${'STATUS'.padEnd(12)}`,
      ...keys.map(
        (k) =>
          `  ${(k.name !== k.provider ? `${k.provider} (${k.name})` : k.provider).padEnd(16)}${(k.source ?? '').padEnd(40)}${mark(k.status === 'present')} ${k.status}`,
      ),
    ].join('\n');
  },
};
