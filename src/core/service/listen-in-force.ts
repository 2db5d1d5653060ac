import type { ConfigEntry } from '../../shared/config-types';
import type { ListenRequest } from '../service-state/state-file';

const LISTEN_KEYS = new Set(['service.listen', 'service.tls_cert', 'service.tls_key', 'service.insecure']);

/**
 * The service's listen settings as the running coordinator has them in force. `wg service start --listen` (or
 * --tls-cert, --insecure…) replaces all four of config.toml's, so each is shown as that flag's override, the address
 * as it was bound (a port 0 is the one given out); without a flag, the settings it started with, as read.
 */
export function listenInForce(entries: readonly ConfigEntry[], flags: ListenRequest | undefined, address: string): ConfigEntry[] {
  if (flags === undefined) return [...entries];
  const value: Record<string, ConfigEntry['value']> = {
    'service.listen': address,
    'service.tls_cert': flags.tlsCert ?? null,
    'service.tls_key': flags.tlsKey ?? null,
    'service.insecure': flags.insecure === true,
  };
  return entries.map((entry) =>
    LISTEN_KEYS.has(entry.key) ? { key: entry.key, value: value[entry.key] ?? null, source: 'override' } : entry,
  );
}
