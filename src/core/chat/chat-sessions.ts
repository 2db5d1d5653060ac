import { randomUUID } from 'node:crypto';
import { lstat, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../files/no-follow';

/*
 * Upstream's registry of chat sessions (its `chat_sessions` module): `<wg dir>/chat/sessions.json`, each session a folder
 * `chat/<uuid>/` named by its UUID, found by its aliases. The coordinator's chat is session `chat-0` (with the older
 * names `coordinator-0` and `0`, as upstream's `register_coordinator_session` gives it). The same file and folders
 * here, so either tool finds the other's chat.
 */

/** Upstream's `SessionMeta`, as it serializes it (kebab-case kind; optional fields left out when empty). */
interface SessionMeta {
  kind: 'coordinator' | 'task-agent' | 'interactive' | 'other';
  created: string;
  aliases: string[];
  label?: string;
  forked_from?: string;
  archived_at?: string;
}

interface Registry {
  version: number;
  sessions: Record<string, SessionMeta>;
}

/** The coordinator's chat's names, upstream's canonical one first. */
const COORDINATOR_ALIASES = ['chat-0', 'coordinator-0', '0'] as const;

const registryPath = (wgDir: string) => join(wgDir, 'chat', 'sessions.json');

async function loadRegistry(wgDir: string): Promise<Registry> {
  let text: string;
  try {
    text = await readFile(registryPath(wgDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, sessions: {} };
    throw error;
  }
  if (text.trim() === '') return { version: 1, sessions: {} };
  const parsed = JSON.parse(text) as Partial<Registry>;
  return { version: parsed.version ?? 1, sessions: parsed.sessions ?? {} };
}

/** The session an alias names, as upstream's `find_by_alias`. */
function findByAlias(registry: Registry, alias: string): string | null {
  for (const [uuid, meta] of Object.entries(registry.sessions)) if (meta.aliases?.includes(alias)) return uuid;
  return null;
}

async function isRealFolder(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The coordinator chat's folder if there is one, without making it (a read of the history): the registry's session,
 * else a folder `chat/0` an older upstream left (upstream's own fallback reads it so too).
 */
export async function findCoordinatorChat(wgDir: string): Promise<string | null> {
  const registry = await loadRegistry(wgDir);
  for (const alias of COORDINATOR_ALIASES) {
    const uuid = findByAlias(registry, alias);
    if (uuid) return join(wgDir, 'chat', uuid);
  }
  const legacy = join(wgDir, 'chat', '0');
  return (await isRealFolder(legacy)) ? legacy : null;
}

/**
 * The coordinator chat's folder, made and registered if the project has none yet (a new session under upstream's
 * three names). Called by the coordinator alone, one message at a time.
 */
export async function ensureCoordinatorChat(wgDir: string): Promise<string> {
  const found = await findCoordinatorChat(wgDir);
  if (found) {
    await mkdir(found, { recursive: true });
    return found;
  }
  const registry = await loadRegistry(wgDir);
  const uuid = randomUUID();
  registry.sessions[uuid] = { kind: 'coordinator', created: new Date().toISOString(), aliases: [...COORDINATOR_ALIASES], label: 'chat 0' };
  const dir = join(wgDir, 'chat', uuid);
  await mkdir(dir, { recursive: true });
  replaceFile(registryPath(wgDir), JSON.stringify(registry, null, 2), { mode: 0o644 });
  return dir;
}
