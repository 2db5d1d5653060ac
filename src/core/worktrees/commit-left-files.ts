import { existsSync } from 'node:fs';
import { errorText, WgError } from '../../shared/errors';
import { appendLog } from '../store/task-writes';
import type { Store } from '../store/store';
import type { WorktreeRecord } from '../store/worktree-records';
import type { WorktreeScope } from './inspect';
import { localChanges, nestedRepositories } from './changes';
import { operationUnderWay } from './checkout-update';
import { git } from './git';
import { FALLBACK_IDENTITY } from './merge';
import { fileList } from './file-list';

/** What became of the new files a run left in its worktree without committing them. */
export type LeftFiles = { kind: 'none' } | { kind: 'committed'; files: string[] } | { kind: 'failed'; files: string[]; why: string };

/**
 * A run that ends (exit 0, or its own `wg done`) and left new files in its worktree (a shell task's
 * build output, an agent that forgot `git add`): they are its work, committed on its branch so the
 * merge takes them, not left behind in a worktree nobody looks at. Ignored files (.gitignore) and what
 * the setup script made are not, nor a git repository inside it (a worktree, a clone: `git add` would commit it as a
 * gitlink, naming commits the base branch's clones lack; its run's end says what became of it, stray-worktrees.ts).
 * Modified tracked files are not committed here: the merge refuses them.
 */
async function commitLeftFiles(record: WorktreeRecord, agentId: string): Promise<LeftFiles> {
  const untracked = (await localChanges(record.path, record.setup_files)).untracked;
  const nested = new Set(nestedRepositories(untracked).map((path) => `${path}/`));
  const files = untracked.filter((path) => !nested.has(path));
  if (files.length === 0) return { kind: 'none' };
  return commitFiles(record.path, files, `wg: files ${agentId} left uncommitted\n`);
}

/** `files` (changed, new or deleted) committed in the worktree at `path`; a project without a git identity gets one. */
export async function commitFiles(path: string, files: string[], message: string): Promise<Exclude<LeftFiles, { kind: 'none' }>> {
  try {
    await git(path, ['add', '-A', '--', ...files], { env: { GIT_LITERAL_PATHSPECS: '1' } });
    try {
      await git(path, ['commit', '--no-verify', '-q', '-F', '-'], { input: message });
    } catch (error) {
      if (!(error instanceof WgError) || !/identity|email|who you are|name/i.test(error.message)) throw error;
      await git(path, ['commit', '--no-verify', '-q', '-F', '-'], { input: message, env: FALLBACK_IDENTITY });
    }
    return { kind: 'committed', files };
  } catch (error) {
    return { kind: 'failed', files, why: errorText(error) };
  }
}

/**
 * A retry resuming a kept worktree where an earlier run (killed, dead, failed) left tracked files modified and not
 * committed: they are committed on its branch before the new run starts. The new run finds them in its branch's
 * history, not as changes of its own it never made, and its merge is not refused for them. Not while a merge, rebase
 * or the like is under way there (its commit would take conflict markers, or land off the branch), nor while a
 * process of an earlier run still writes there (`stillAt`: the run at work in the folder, if any); then the task's
 * log says why, and the run starts with the files as they are, as before.
 */
export async function commitChangesLeftForRetry(
  store: Store,
  record: WorktreeRecord,
  agentId: string,
  stillAt: string | null,
): Promise<void> {
  const before = record.agent_id ?? 'an earlier run';
  if (!existsSync(record.path) || before === agentId) return;
  const say = (line: string) => store.core.write(() => appendLog(store.core, record.task_id, 'coordinator', line));
  let files: string[];
  let underWay: string | null;
  try {
    files = (await localChanges(record.path, record.setup_files)).tracked;
    underWay = files.length > 0 ? await operationUnderWay(record.path) : null;
  } catch (error) {
    await say(`The files ${before} left in ${record.path} could not be looked at for the run of ${agentId}: ${errorText(error)}`);
    return;
  }
  if (files.length === 0) return;
  const kept = `The tracked files ${before} left modified in ${record.path} (${list(files)}) are left as they are for the run of ${agentId}`;
  if (underWay !== null) return say(`${kept}: ${underWay} is under way there, which only its own end may commit`);
  if (stillAt !== null) return say(`${kept}: a process of ${stillAt} still runs there`);
  const left = await commitFiles(record.path, files, `wg: changes ${before} left uncommitted, kept for ${agentId}\n`);
  await say(
    left.kind === 'committed'
      ? `Committed the tracked files ${before} left modified on ${record.branch} (${list(files)}), so the run of ${agentId} starts from them and its work can merge`
      : `${kept}: they could not be committed (${left.why})`,
  );
}

const list = fileList;

/**
 * The step both ends of a run share before its merge (merge-after-exit.ts for an exit 0 without
 * `wg done`, merge-on-done.ts for a done): the new files left in the task's active agent worktree are
 * committed on its branch, and the task's log says which. `who`: the run they are credited to.
 */
export async function commitLeftWork(scope: WorktreeScope, taskId: string, who: string | null): Promise<LeftFiles> {
  const record = await scope.store.worktrees.newestForTask(taskId);
  if (record?.owner !== 'agent' || record.state !== 'active') return { kind: 'none' };
  const by = who ?? record.agent_id ?? 'the run';
  const left = await commitLeftFiles(record, by);
  if (left.kind === 'committed') {
    await scope.store.core.write(() =>
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
  await scope.store.core.write(() => appendLog(scope.store.core, record.task_id, 'coordinator', line));
  return line;
}
