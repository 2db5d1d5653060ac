import { existsSync } from 'node:fs';
import { errorText, WgError } from '../../shared/errors';
import { appendLog } from '../store/task-writes';
import type { WorktreeRecord } from '../store/worktree-records';
import type { WorktreeScope } from './inspect';
import { localChanges } from './changes';
import { git } from './git';
import { FALLBACK_IDENTITY } from './merge';
import { fileList } from './file-list';

/** What became of the new files a run left in its worktree without committing them. */
export type LeftFiles = { kind: 'none' } | { kind: 'committed'; files: string[] } | { kind: 'failed'; files: string[]; why: string };

/**
 * A run that ends (exit 0, or its own `wg done`) and left new files in its worktree (a shell task's
 * build output, an agent that forgot `git add`): they are its work, committed on its branch so the
 * merge takes them, not left behind in a worktree nobody looks at. Ignored files (.gitignore) and what
 * the setup script made are not. Modified tracked files are not committed here: the merge refuses them.
 */
async function commitLeftFiles(record: WorktreeRecord, agentId: string): Promise<LeftFiles> {
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
    return { kind: 'failed', files, why: errorText(error) };
  }
}

const list = fileList;

/**
 * The step both ends of a run share before its merge (merge-after-exit.ts for an exit 0 without
 * `wg done`, merge-on-done.ts for a done): the new files left in the task's active agent worktree are
 * committed on its branch, and the task's log says which. `who`: the run they are credited to.
 */
export async function commitLeftWork(scope: WorktreeScope, taskId: string, who: string | null): Promise<LeftFiles> {
  const record = scope.store.worktrees.newestForTask(taskId);
  if (record?.owner !== 'agent' || record.state !== 'active') return { kind: 'none' };
  const by = who ?? record.agent_id ?? 'the run';
  const left = await commitLeftFiles(record, by);
  if (left.kind === 'committed') {
    scope.store.core.write(() =>
      appendLog(
        scope.store.core,
        taskId,
        'coordinator',
        `Committed new files ${by} left uncommitted on ${record.branch}: ${list(left.files)}`,
      ),
    );
  }
  return left;
}

/**
 * The same for a worktree whose work was merged already (late-work.ts): new files its run left after its
 * `wg done` are its work too, committed on its branch so the late work's merge takes them, instead of
 * keeping the worktree dirty for good with nobody told. Returns the task's log line, or null.
 */
export async function commitFilesLeftAfterDone(scope: WorktreeScope, record: WorktreeRecord): Promise<string | null> {
  if (!existsSync(record.path)) return null;
  const by = record.agent_id ?? 'the run';
  const left = await commitLeftFiles(record, by);
  if (left.kind !== 'committed') return null;
  const line = `Committed new files ${by} left uncommitted after its done on ${record.branch}: ${list(left.files)}`;
  scope.store.core.write(() => appendLog(scope.store.core, record.task_id, 'coordinator', line));
  return line;
}
