import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { WgError } from '../../shared/errors';
import { wgDirIn } from '../project';

/*
 * Upstream's peer projects (`federation.yaml` in the workgraph folder: `peers: {name: {path}}`), read
 * only: where `wg func list --include-peers` and `wg func apply --from peer:id` look for functions.
 */

/** The peers named in the folder's federation.yaml, by name (none when there is no file). */
export function peerNames(wgDir: string): string[] {
  const file = join(wgDir, 'federation.yaml');
  if (!existsSync(file)) return [];
  return Object.keys(peersOf(file)).sort();
}

function peersOf(file: string): Record<string, { path?: unknown }> {
  let value: unknown;
  try {
    value = parse(readFileSync(file, 'utf8'));
  } catch {
    throw new WgError('invalid', `${file} is not YAML`);
  }
  const peers = (value as { peers?: unknown } | null)?.peers;
  return typeof peers === 'object' && peers !== null && !Array.isArray(peers) ? (peers as Record<string, { path?: unknown }>) : {};
}

/** A peer's workgraph folder: by its name in federation.yaml, else `reference` as a path (upstream's resolve_peer). */
export function resolvePeer(reference: string, wgDir: string): string {
  const file = join(wgDir, 'federation.yaml');
  const named = existsSync(file) ? peersOf(file)[reference]?.path : undefined;
  const raw = typeof named === 'string' ? named : reference;
  const expanded = raw.startsWith('~/') ? join(homedir(), raw.slice(2)) : raw;
  const project = resolve(expanded);
  const found = wgDirIn(project);
  if (!found) throw new WgError('not_found', `No .wg directory found at '${project}'. Is this a WG project?`);
  return found;
}
