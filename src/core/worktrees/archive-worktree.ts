import type { WorktreeArchive } from '../../shared/worktree';
import { conflict } from '../../shared/errors';
import { appendLog } from '../store/task-writes';
import { localChanges } from './changes';
import { operationUnderWay } from './checkout-update';
import { commitFiles } from './commit-left-files';
import { fileList } from './file-list';
import { findRecord, inspect, projectRepo, type WorktreeScope } from './inspect';
import { removeOne } from './sweep';

/**
 * `wg worktree archive ID [--remove]` (upstream's worktree archive): the work left uncommitted in an agent's worktree
 * (tracked changes and new files; not ignored files, nor what the setup script made) is committed on its branch, in
 * upstream's words ("archive: AGENT work snapshot"), so that nothing of it is lost; with --remove the worktree then
 * goes as `wg worktree remove` takes it (its commits the base lacks are kept on a recover/ branch). Refused where
 * upstream's would write under someone at work: an agent working there, a person's own worktree, a merge or rebase
 * under way in it.
 */
export async function archiveWorktree(scope: WorktreeScope, key: string, remove: boolean, actor: string): Promise<WorktreeArchive> {
  const record = await findRecord(scope.store, key);
  if (record.state === 'removed') throw conflict(`worktree ${record.id} was already removed`);
  const repo = await projectRepo(scope.paths);
  const { facts, info } = await inspect(scope, repo.top, record);
  if (!info.exists) throw conflict(`worktree for '${key}' not found at ${record.path}`);
  if (facts.owner === 'person') throw conflict(`${record.path} is your own worktree; commit there with git`);
  if (facts.liveAgent) throw conflict(`${facts.liveAgent} is working in ${record.path}; kill it first (wg kill ${facts.liveAgent})`);
  const agent = record.agent_id ?? record.id;
  const changes = await localChanges(record.path, record.setup_files);
  const files = [...changes.tracked, ...changes.untracked];
  if (files.length > 0) {
    const underWay = await operationUnderWay(record.path);
    if (underWay !== null) throw conflict(`${underWay} is under way in ${record.path}; finish or abort it first`);
    const message = `archive: ${agent} work snapshot\n\nAuto-committed by \`wg worktree archive\` to preserve\nuncommitted agent work before archival.\n`;
    const left = await commitFiles(record.path, files, message);
    if (left.kind === 'failed') throw conflict(`git commit failed in ${record.path}: ${left.why}`);
    await scope.store.core.write(() =>
      appendLog(
        scope.store.core,
        record.task_id,
        actor,
        `Archived the work ${agent} left uncommitted on ${record.branch}: ${fileList(files)}`,
      ),
    );
  }
  const worktree = remove
    ? await removeOne(scope, record.id, false, actor)
    : (await inspect(scope, repo.top, await scope.store.worktrees.get(record.id))).info;
  return { agent, committed: files, removed: remove, worktree };
}
