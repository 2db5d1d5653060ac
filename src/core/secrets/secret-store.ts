import { chmodSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { invalid, WgError } from '../../shared/errors';
import type { SecretBackend } from '../../shared/secrets';
import { makeFolder } from '../files/make-folder';
import { replaceFile } from '../files/no-follow';
import { readRegularFile } from '../files/regular-file';
import { globalHome } from '../project';
import { readToml, section, updateToml } from '../config/toml-file';

/*
 * Upstream's credential store for API keys (`wg secret`), in the person's global folder (WG_HOME, else ~/.wg):
 * `keystore/<name>` (a file of 0600 in a folder of 0700), and, only where `[secrets] allow_plaintext = true` in the
 * global config.toml, `secrets/<name>` (the same modes; upstream's plaintext backend). Upstream's `keyring` backend
 * is the OS keyring, reached through a native library this app does not ship: it is taken as upstream takes an
 * OS keyring it cannot reach (a Linux without secret-service), falling back to the keystore with one warning.
 */

export interface SecretsSettings {
  allow_plaintext: boolean;
  default_backend: SecretBackend;
}

const BACKENDS: Readonly<Record<string, SecretBackend>> = {
  keyring: 'keyring',
  keystore: 'keystore',
  plaintext: 'plaintext',
  plain: 'plaintext',
};

/** A backend's name as upstream parses it (`plain` is plaintext); any other is refused in one line. */
export function parseBackend(text: string): SecretBackend {
  const backend = BACKENDS[text.toLowerCase()];
  if (!backend) throw invalid(`Unknown backend '${text}'. Choose: keyring, keystore, plaintext`);
  return backend;
}

/** A secret's name is a file's name: no folder, no `..` (upstream's validate_name). */
export function checkSecretName(name: string): void {
  if (name === '') throw invalid('Secret name cannot be empty');
  if (/[/\\\0]/.test(name) || name.includes('..')) throw invalid(`Secret name '${name}' contains invalid characters`);
}

const globalConfigPath = () => join(globalHome(), 'config.toml');

/** `[secrets]` of the global config.toml; upstream's defaults (keyring, no plaintext) where it says nothing. */
export function secretsSettings(): SecretsSettings {
  const table = readToml(globalConfigPath()).secrets as Record<string, unknown> | undefined;
  const backend = typeof table?.default_backend === 'string' ? BACKENDS[table.default_backend] : undefined;
  return { allow_plaintext: table?.allow_plaintext === true, default_backend: backend ?? 'keyring' };
}

/** `wg secret backend set`: the default backend, in the global config.toml. */
export function setDefaultBackend(backend: SecretBackend): void {
  if (backend === 'plaintext' && !secretsSettings().allow_plaintext)
    throw invalid(
      'Cannot set default backend to plaintext: allow_plaintext is false (set secrets.allow_plaintext = true in the global config.toml first)',
    );
  updateToml(globalConfigPath(), (table) => {
    section(table, 'secrets').default_backend = backend;
  });
}

const folderOf = (kind: 'keystore' | 'secrets') => join(globalHome(), kind);

function refusePlaintext(settings: SecretsSettings): void {
  if (!settings.allow_plaintext)
    throw new WgError(
      'forbidden',
      'Plaintext backend is disabled. Set `secrets.allow_plaintext = true` in the global config.toml (~/.wg/config.toml) to enable it.',
    );
}

/** Where a secret of this backend is kept: the keyring's, as upstream's fallback, in the keystore. */
function fileOf(name: string, backend: SecretBackend, settings: SecretsSettings): string {
  checkSecretName(name);
  if (backend === 'plaintext') {
    refusePlaintext(settings);
    return join(folderOf('secrets'), name);
  }
  return join(folderOf('keystore'), name);
}

export function writeSecret(name: string, value: string, backend: SecretBackend, settings = secretsSettings()): void {
  if (value === '') throw invalid('Secret value cannot be empty');
  const file = fileOf(name, backend, settings);
  const folder = join(file, '..');
  makeFolder(folder, 0o700);
  // A folder made before (by upstream, or by hand) is narrowed as upstream's write does.
  chmodSync(folder, 0o700);
  replaceFile(file, value, { mode: 0o600 });
}

/** The value, trimmed as upstream reads it; null when there is none. A link at its name is not followed. */
export function readSecret(name: string, backend: SecretBackend, settings = secretsSettings()): string | null {
  return readRegularFile(fileOf(name, backend, settings), { noFollow: true })?.text.trim() ?? null;
}

/** Whether there was one to delete. */
export function deleteSecret(name: string, backend: SecretBackend, settings = secretsSettings()): boolean {
  const file = fileOf(name, backend, settings);
  if (readRegularFile(file, { noFollow: true }) === null) return false;
  rmSync(file);
  return true;
}

function namesIn(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Every secret's name, by backend as upstream writes a ref (`keystore:NAME`, `plain:NAME`); never a value. */
export function listSecrets(settings = secretsSettings()): string[] {
  return [
    ...namesIn(folderOf('keystore')).map((n) => `keystore:${n}`),
    ...(settings.allow_plaintext ? namesIn(folderOf('secrets')).map((n) => `plain:${n}`) : []),
  ].sort();
}

/**
 * Upstream's masked preview: the first and last four characters of a long value, else only stars. Upstream shows
 * them from nine characters on, eight of nine; here only from 24 (an API key's length), a third of it at most.
 */
export function maskSecret(value: string): string {
  return value.length >= 24 ? `${value.slice(0, 4)}****...${value.slice(-4)}` : '****';
}

/**
 * Upstream's resolve_ref: the value an `api_key_ref` names, or null when there is none. `op://` and `pass:` ask
 * 1Password's and pass's own CLIs; `literal:` is for tests (upstream warns of it).
 */
export async function resolveSecretRef(ref: string, settings = secretsSettings(), warn?: (line: string) => void): Promise<string | null> {
  const [scheme, rest] = [ref.slice(0, ref.indexOf(':') + 1), ref.slice(ref.indexOf(':') + 1)];
  if (scheme === 'keyring:' || scheme === 'keystore:') return readSecret(rest, 'keystore', settings);
  if (scheme === 'plain:') return readSecret(rest, 'plaintext', settings);
  if (scheme === 'env:') return process.env[rest] ?? null;
  if (scheme === 'literal:') {
    warn?.('secret ref uses literal: scheme — this is for testing only. Never use literal: in production config.');
    return rest;
  }
  if (ref.startsWith('op://') || scheme === 'pass:') {
    const [command, args] = ref.startsWith('op://') ? ['op', ['read', ref]] : ['pass', ['show', rest]];
    const { execa } = await import('execa');
    const result = await execa(command, args, { reject: false });
    if (result.failed && result.exitCode === undefined) throw new WgError('unavailable', `Failed to run \`${command}\`. Is it installed?`);
    if (result.exitCode !== 0) throw invalid(`${command} could not read '${ref}'`);
    return (String(result.stdout).trim().split('\n')[0] ?? '').trim();
  }
  throw invalid(
    `Unknown api_key_ref scheme in '${ref}'. Supported: keyring:<name>, keystore:<name>, plain:<name>, env:<VAR>, op://<path>, pass:<path>`,
  );
}

/** Upstream's backend_status: the default backend and what each one is here. */
export function backendStatus(settings = secretsSettings()): string {
  const keyring = 'unreachable (this app does not reach the OS keyring)';
  const lines: string[] = [];
  if (settings.default_backend === 'keyring') {
    lines.push(`Default backend: keyring (OS native — ${keyring})`);
    lines.push('  → keyring writes/reads will fall back to file keystore at ~/.wg/keystore/ (0600 perms).');
  } else if (settings.default_backend === 'keystore') lines.push('Default backend: keystore (secure file at ~/.wg/keystore/, 0600 perms)');
  else lines.push('Default backend: plaintext (file at ~/.wg/secrets/)');
  lines.push(`Keyring (OS native): ${keyring}`);
  lines.push('Keystore (file at ~/.wg/keystore/): always available (0600 perms)');
  lines.push(
    settings.allow_plaintext
      ? 'Plaintext backend: enabled (allow_plaintext = true)'
      : 'Plaintext backend: disabled (set secrets.allow_plaintext = true to enable)',
  );
  return lines.join('\n');
}
