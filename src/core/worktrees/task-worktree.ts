import { statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { conflict, invalid } from '../../shared/errors';
import { appendLog } from '../store/task-writes';
import type { NewWorktree, WorktreeRecord } from '../store/worktree-records';
import { hasFirstCommit } from './first-commit';
import { gitValue } from './git';
import { inspect, projectRepo, type WorktreeScope } from './inspect';
import { WORKTREES_DIR } from './naming';
import { removalNotes, removeWorktree } from './removal';
import { repoFacts } from './repo';

const isFolder = (path: string) => statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;

/**
 * `wg add … --worktree PATH`: checks that PATH is a worktree of the project's own repository (one a
 * person made; not an agent's) and returns the record that makes the task's agent run there.
 * Relative paths are taken from where `wg` runs.
 */
export async function personWorktree(scope: WorktreeScope, given: string): Promise<(taskId: string) => NewWorktree> {
  const path = isAbsolute(given) ? given : resolve(process.cwd(), given);
  if (!isFolder(path)) throw invalid(`${path} is not a folder: give a worktree of the repository`);
  const repo = await projectRepo(scope.paths);
  const facts = await repoFacts(path);
  if (!facts || facts.commonDir !== repo.commonDir) throw invalid(`${path} is not a worktree of the repository at ${repo.top}`);
  if (facts.top.includes(`/${WORKTREES_DIR}/`)) throw invalid(`${facts.top} is an agent's worktree; name one of your own`);
  if (!hasFirstCommit(facts.gitDir)) throw invalid(`${facts.top} has no commit yet: commit once, then give it with --worktree`);
  const head = await gitValue(facts.top, ['rev-parse', 'HEAD']);
  const branch = facts.branch ?? 'HEAD';
  return (taskId) => ({
    id: `person:${taskId}`,
    task_id: taskId,
    agent_id: null,
    path: facts.top,
    branch,
    base_branch: branch,
    base_commit: head,
    owner: 'person',
  });
}

/** The task's own agent worktree a fresh start sets aside (active, or kept after a conflict), or null. */
async function ownWorktree(scope: WorktreeScope, taskId: string): Promise<WorktreeRecord | null> {
  const record = await scope.store.worktrees.newestForTask(taskId);
  return record?.owner === 'agent' && (record.state === 'active' || record.state === 'conflict') ? record : null;
}

/**
 * `wg retry ID --fresh` of a task not in progress: the task's kept worktree stops being its own, so the next run
 * starts from the base branch again. Nothing is lost on the way: its commits go to a recover/ branch before it is
 * removed, and a worktree with uncommitted changes, or in which a run's processes still run, is not removed at
 * all, only set aside (retired).
 */
export async function retireTaskWorktree(scope: WorktreeScope, taskId: string, actor: string): Promise<void> {
  const record = await ownWorktree(scope, taskId);
  if (!record) return;
  const repo = await projectRepo(scope.paths);
  const { facts } = await inspect(scope, repo.top, record);
  if (facts.liveAgent && (await scope.store.agents.find(facts.liveAgent))?.state === 'working')
    throw conflict(`${facts.liveAgent} is still working in ${record.path}`);
  await finishRetiring(scope, record, actor);
}

/**
 * `wg retry ID --fresh` of a task in progress, inside the retry's own transaction: the task's worktree set aside at
 * once, so that a coordinator claiming the task on that commit starts it from the base branch, never in the old
 * worktree. The worktree returned is then put away by finishRetiring, after the commit.
 */
export async function setAsideTaskWorktree(scope: WorktreeScope, taskId: string): Promise<WorktreeRecord | null> {
  const record = await ownWorktree(scope, taskId);
  if (!record) return null;
  await scope.store.core.write((rev) => scope.store.worktrees.update(record.id, { state: 'retired' }, rev));
  return record;
}

/**
 * A worktree a fresh start let go of: removed, its commits kept on a recover/ branch first, unless it holds
 * uncommitted files or a run's processes still run in it (no coordinator watches them to stop them): then it is
 * set aside, and stays until a person removes it (or gc, once nothing in it can be lost).
 */
export async function finishRetiring(scope: WorktreeScope, record: WorktreeRecord, actor: string): Promise<void> {
  const taskId = record.task_id;
  const repo = await projectRepo(scope.paths);
  const { facts, info } = await inspect(scope, repo.top, record);
  const core = scope.store.core;
  const why = facts.liveAgent
    ? `the processes of ${facts.liveAgent} still run in it`
    : info.uncommitted.length > 0
      ? `${info.uncommitted.length} uncommitted file(s)`
      : null;
  if (why) {
    await core.write(async (rev) => {
      await scope.store.worktrees.update(record.id, { state: 'retired' }, rev);
      await appendLog(core, taskId, actor, `Fresh start: worktree ${record.path} set aside with ${why}; it stays until you remove it`);
    });
    return;
  }
  const { recoverBranch, branchKept, leftOn } = await removeWorktree(repo.top, {
    path: record.path,
    branch: record.branch,
    baseCommit: record.base_commit,
    agentId: record.agent_id ?? record.id,
    taskId,
    merged: false,
    // Only what its setup made (a node_modules link folder) is left uncommitted, as the sweep allows: git refused it
    // without --force, and `wg retry --fresh` failed for the app's own links.
    force: record.setup_files.length > 0,
  });
  await core.write(async (rev) => {
    await scope.store.worktrees.update(record.id, { state: 'removed', ...(recoverBranch ? { recover_branch: recoverBranch } : {}) }, rev);
    await appendLog(core, taskId, actor, `Fresh start: worktree ${record.path} removed${removalNotes(recoverBranch, branchKept, leftOn)}`);
  });
}
