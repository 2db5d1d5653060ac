import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/*
 * The folders of runs a person had forgotten (`wg gc`, `wg dead-agents --purge --delete-dirs`): each run's output,
 * prompt and small files in `runs/<agent-id>/`, kept until its record goes. A run that ran on another machine (an
 * agent daemon's, or another coordinator's of a team's graph) has none here.
 */

/** The disk a run's folder takes (its blocks, not its bytes: small files take a block each); 0 when it has none. */
export function runFolderBytes(runsDir: string, agentId: string): number {
  const walk = (path: string): number => {
    let stat: ReturnType<typeof lstatSync>;
    try {
      stat = lstatSync(path);
    } catch {
      return 0;
    }
    // A link is counted as itself, never followed: what it points at is not the run's.
    const own = stat.blocks * 512;
    if (!stat.isDirectory()) return own;
    return readdirSync(path).reduce((sum, name) => sum + walk(join(path, name)), own);
  };
  return walk(join(runsDir, agentId));
}

/** Removes a forgotten run's folder (a link planted in it is removed, not followed); false when there was none. */
export function removeRunFolder(runsDir: string, agentId: string): boolean {
  const dir = join(runsDir, agentId);
  if (!existsSync(dir)) return false;
  rmSync(dir, { recursive: true, force: true });
  return true;
}
