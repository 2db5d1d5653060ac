import { existsSync } from 'node:fs';
import { appendLog } from '../store/task-writes';
import { logHas } from '../store/task-reads';
import { localChanges } from './changes';
import { fileList } from './file-list';
import type { WorktreeScope } from './inspect';
import { keepRecoverBranch } from './recover';
import { repoFacts } from './repo';

/** What became of the worktree: a person may have removed it by hand while the run was at work. */
const worktreeLeft = (path: string) =>
  existsSync(path) ? `its worktree ${path} stays for a retry` : `its worktree ${path} is gone; a retry makes a new one`;

/**
 * Tracked files a run that ended left modified and not committed: no branch keeps them. The next run that resumes
 * in the worktree has them committed on its branch before it starts (commit-left-files.ts); a person who does not
 * want them kept drops them first. Said in the task's log once.
 */
async function noteUncommitted(scope: WorktreeScope, taskId: string, path: string, agentId: string, actor: string): Promise<void> {
  if (!existsSync(path)) return;
  const changed = (await localChanges(path)).tracked;
  if (changed.length === 0) return;
  const line = `The run of ${agentId} ended leaving tracked files modified but not committed in ${path} (${fileList(changed)}): a retry commits them on its branch and goes on from them; drop them first (git checkout -- FILE) if they should not be kept`;
  const core = scope.store.core;
  if (await logHas(core, taskId, line)) return;
  await core.write(() => appendLog(core, taskId, actor, line));
}

/**
 * A run ended without its work merged (killed, died, failed, timed out): its branch's commits that are
 * not on the base are kept as `recover/<agent-id>/<task-id>`, whatever later happens to the worktree.
 * The worktree itself stays for the task's retry. Returns the recover/ branch, if one was needed.
 */
export async function keepAgentWork(scope: WorktreeScope, agentId: string, actor = 'coordinator'): Promise<string | null> {
  const record = await scope.store.worktrees.forAgent(agentId);
  if (record?.owner !== 'agent' || record.state === 'merged' || record.state === 'removed') return null;
  const repo = await repoFacts(scope.paths.root);
  if (!repo) return null;
  const kept = await keepRecoverBranch(repo.top, {
    branch: record.branch,
    baseCommit: record.base_commit,
    agentId,
    taskId: record.task_id,
  });
  await noteUncommitted(scope, record.task_id, record.path, agentId, actor);
  if (!kept || kept === record.recover_branch) return kept;
  await scope.store.core.write(async (rev) => {
    await scope.store.worktrees.update(record.id, { recover_branch: kept }, rev);
    await appendLog(
      scope.store.core,
      record.task_id,
      actor,
      // The worktree may have served earlier runs of the task too, so its commits are not said to be this run's.
      `Commits on ${record.branch} not on ${record.base_branch} kept on ${kept} as the run of ${agentId} ended (${worktreeLeft(record.path)})`,
    );
  });
  return kept;
}
