import { WgError } from '../../shared/errors';
import type { WorktreeRecord } from '../store/worktree-records';
import { localChanges } from './changes';
import { git } from './git';
import { FALLBACK_IDENTITY } from './merge';

/** What became of the new files a run left in its worktree without committing them. */
export type LeftFiles = { kind: 'none' } | { kind: 'committed'; files: string[] } | { kind: 'failed'; files: string[]; why: string };

/**
 * A run that exited 0 without `wg done` and left new files in its worktree (a shell task's build
 * output, an agent that forgot `git add`): they are its work, committed on its branch so the merge
 * takes them, not left behind in a worktree nobody looks at. Ignored files (.gitignore) and what the
 * setup script made are not. Modified tracked files are not committed here: the merge refuses them.
 */
export async function commitLeftFiles(record: WorktreeRecord, agentId: string): Promise<LeftFiles> {
  const files = (await localChanges(record.path, record.setup_files)).untracked;
  if (files.length === 0) return { kind: 'none' };
  const message = `wg: files ${agentId} left uncommitted\n`;
  try {
    await git(record.path, ['add', '--', ...files], { env: { GIT_LITERAL_PATHSPECS: '1' } });
    try {
      await git(record.path, ['commit', '--no-verify', '-q', '-F', '-'], { input: message });
    } catch (error) {
      if (!(error instanceof WgError) || !/identity|email|who you are|name/i.test(error.message)) throw error;
      await git(record.path, ['commit', '--no-verify', '-q', '-F', '-'], { input: message, env: FALLBACK_IDENTITY });
    }
    return { kind: 'committed', files };
  } catch (error) {
    return { kind: 'failed', files, why: error instanceof Error ? error.message : String(error) };
  }
}
