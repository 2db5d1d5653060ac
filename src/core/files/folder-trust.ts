import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'smol-toml';

/**
 * A workgraph folder another user owns is not trusted, as git refuses a repository another user owns
 * (`safe.directory`): its config names the commands agents run, its service folder where this app
 * writes, its symlinks where those writes land. Only the person's own global config can trust one:
 *
 *   [safe]
 *   directories = ["/srv/shared/project", "*"]   # "*" trusts every folder
 */

/** The user name of a uid, from /etc/passwd (no process, no library: one small file). */
function userName(uid: number): string | null {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((l) => l.split(':')[2] === String(uid));
    return line?.split(':')[0] ?? null;
  } catch {
    return null;
  }
}

/** The folders the person's global config trusts (never a project's own config: that is what is in doubt). */
function trustedFolders(globalConfig: string): string[] {
  let text: string;
  try {
    text = readFileSync(globalConfig, 'utf8');
  } catch {
    return [];
  }
  try {
    const safe = parse(text).safe;
    const listed =
      typeof safe === 'object' && safe !== null && !Array.isArray(safe) ? (safe as Record<string, unknown>).directories : undefined;
    return Array.isArray(listed) ? listed.filter((d): d is string => typeof d === 'string') : [];
  } catch {
    // A broken global config is reported by whatever reads its settings; here it trusts nothing more.
    return [];
  }
}

/**
 * Why a project is not trusted: its workgraph folder (what it holds decides what runs and where this
 * app writes) belongs to another user and the person's global config does not trust it; null when it
 * is trusted. Root too: root is the user a planted folder would harm most. The project folder itself
 * may be shared (/tmp, a team folder).
 */
export function untrustedFolder(root: string, wgDir: string, globalConfig: string): string | null {
  if (typeof process.getuid !== 'function') return null;
  let owner: number;
  try {
    owner = statSync(wgDir).uid;
  } catch {
    return null;
  }
  if (owner === process.getuid()) return null;
  return trusts(globalConfig, root, wgDir) ? null : notYours(wgDir, owner, root, globalConfig);
}

/**
 * Why `wg init` must not make (or use) a workgraph folder here, or null. An existing one: as above.
 * A new one: the folder that would hold it, and every folder above, must be the person's own, root's,
 * or sticky (/tmp): the owner of any other could swap the new folder for one of their own afterwards.
 */
export function untrustedInitFolder(root: string, wgDir: string, globalConfig: string): string | null {
  if (typeof process.getuid !== 'function') return null;
  const me = process.getuid();
  let folder = resolve(wgDir);
  if (existsSync(folder)) return untrustedFolder(root, wgDir, globalConfig);
  for (let parent = dirname(folder); parent !== folder; folder = parent, parent = dirname(parent)) {
    let stats: { uid: number; mode: number };
    try {
      stats = statSync(parent);
    } catch {
      continue; // made by init itself
    }
    const sticky = (stats.mode & 0o1000) !== 0;
    // Root's folders (/, /home) are everyone's parents; root can change anything anyway.
    if (stats.uid === me || stats.uid === 0 || sticky) continue;
    return trusts(globalConfig, root, wgDir) ? null : notYours(parent, stats.uid, root, globalConfig);
  }
  return null;
}

function trusts(globalConfig: string, root: string, wgDir: string): boolean {
  const trusted = trustedFolders(globalConfig).map((d) => (d === '*' ? d : resolve(d)));
  return trusted.includes('*') || trusted.includes(resolve(root)) || trusted.includes(resolve(wgDir));
}

function notYours(folder: string, owner: number, root: string, globalConfig: string): string {
  const name = userName(owner);
  const who = name ? `user ${name} (uid ${owner})` : `uid ${owner}`;
  return `${folder} belongs to ${who}, not to you; if you trust it, add "${resolve(root)}" to [safe] directories in ${globalConfig}`;
}
