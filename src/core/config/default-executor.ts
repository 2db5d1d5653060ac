import type { ConfigEntry, ExecutorProfile } from '../../shared/config-types';
import { WgError } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import { resolveExecutor } from './executors';
import { readRegularFile } from '../files/regular-file';

/** The line of `file` that sets `executor` to `name` (1-based), or null. */
function lineOf(file: string, name: string): number | null {
  let text: string;
  try {
    text = readRegularFile(file)?.text ?? '';
  } catch {
    return null;
  }
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const setting = new RegExp(`^\\s*executor\\s*=\\s*["']?${escaped}["']?\\s*(#.*)?$`);
  const index = text.split(/\r?\n/).findIndex((line) => setting.test(line));
  return index < 0 ? null : index + 1;
}

/**
 * Refuses a default executor (coordinator.executor, or agent.executor) that names nothing, before a
 * coordinator starts or reloads with it: every task would fail at its start. The refusal names the
 * file and line that set it (a `--executor` flag is checked where it is given).
 */
export function requireDefaultExecutor(
  paths: Pick<ProjectPaths, 'config' | 'globalConfig'>,
  entries: readonly ConfigEntry[],
  profiles: readonly ExecutorProfile[],
): void {
  const entry = entries.find((e) => e.key === 'coordinator.executor');
  if (!entry || typeof entry.value !== 'string' || entry.source === 'override') return;
  try {
    resolveExecutor(profiles, entry.value);
  } catch (error) {
    if (!(error instanceof WgError)) throw error;
    const file = entry.source === 'global' ? paths.globalConfig : entry.source === 'local' ? paths.config : null;
    const line = file ? lineOf(file, entry.value) : null;
    const where = file ? `${file}${line !== null ? ` line ${line}` : ''}: ` : entry.source === 'team' ? "the team's settings: " : '';
    throw new WgError(
      'invalid',
      `${where}executor = "${entry.value}" names no executor; there are: ${profiles.map((p) => p.name).join(', ')} (or an http(s) URL; add one with wg executor add)`,
    );
  }
}
