import { basename } from 'node:path';
import { z } from 'zod';

export interface RecentProject {
  /** Absolute path of the project folder (the one holding `.wg/` or `.workgraph/`). */
  path: string;
  /** ISO time it was last opened. */
  openedAt: string;
}

export const MAX_RECENT = 10;

const entrySchema = z.object({
  path: z.string().min(1),
  openedAt: z.string(),
});

/** Reads what was saved, dropping anything malformed instead of failing: a bad file must not block startup. */
export function parseRecentProjects(saved: unknown): RecentProject[] {
  if (!Array.isArray(saved)) return [];
  const entries: RecentProject[] = [];
  for (const item of saved) {
    const parsed = entrySchema.safeParse(item);
    if (parsed.success && !entries.some((e) => e.path === parsed.data.path)) entries.push(parsed.data);
  }
  return entries.slice(0, MAX_RECENT);
}

/** Moves (or adds) `path` to the top, keeping what was known about it, capped at MAX_RECENT. */
export function touchRecentProject(list: readonly RecentProject[], path: string, now: Date): RecentProject[] {
  const previous = list.find((e) => e.path === path);
  const entry: RecentProject = { ...previous, path, openedAt: now.toISOString() };
  return [entry, ...list.filter((e) => e.path !== path)].slice(0, MAX_RECENT);
}

export function removeRecentProject(list: readonly RecentProject[], path: string): RecentProject[] {
  return list.filter((e) => e.path !== path);
}

/**
 * Menu labels: the folder name, with the parent folder added where two recent projects share a name.
 */
export function recentLabels(list: readonly RecentProject[]): Array<{ path: string; label: string }> {
  return list.map((entry) => {
    const name = basename(entry.path) || entry.path;
    const clash = list.some((other) => other.path !== entry.path && basename(other.path) === name);
    return { path: entry.path, label: clash ? `${name} — ${entry.path}` : name };
  });
}
