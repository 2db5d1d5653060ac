import { existsSync } from 'node:fs';
import { notFound } from '../../shared/errors';
import type { Agent } from '../../shared/agent';
import type { WorktreeDetail, WorktreeInfo } from '../../shared/worktree';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import { findTaskState } from '../store/task-reads';
import type { WorktreeRecord } from '../store/worktree-records';
import { localChanges } from './changes';
import { branchAddsToBase, mergedHead } from './merge';
import { liveDiff, mergedDiff } from './diff';
import { displayState, removalVerdict, type WorktreeFacts } from './removal-rule';
import { branchTip, commitsAhead, isAncestor, repoFacts } from './repo';
import { aliveRuns } from '../processes/kill-runs';
import { adoptedHandle } from '../run-folder/run-handle';

export interface WorktreeScope {
  store: Store;
  paths: ProjectPaths;
}

/**
 * The agent at work in a worktree: its row says it works, or its run's processes still run after the row ended (a
 * kill's grace between SIGTERM and SIGKILL; `wg retry` while no coordinator watches). What they still write there
 * is its work, so the worktree is its run's until nothing of the run is left (its cgroup, or its process group
 * carrying its marker). A run with no pid or cgroup recorded started nothing here (an agent daemon's job).
 */
export async function workingIn(scope: WorktreeScope, agent: Agent | undefined): Promise<string | null> {
  if (!agent) return null;
  if (agent.state === 'working') return agent.id;
  const run = await adoptedHandle(scope.store, scope.paths, agent);
  if (run.pid === null && run.cgroup === null) return null;
  return aliveRuns([run]).length > 0 ? agent.id : null;
}

/** A worktree's record with what git says about it now. */
export interface Inspected {
  record: WorktreeRecord;
  facts: WorktreeFacts;
  info: WorktreeInfo;
  /** Its branch's tip when the facts were gathered: a removal deletes the branch only while it still points there. */
  head: string | null;
}

/** The repository of the project folder, or a clear line when there is none. */
export async function projectRepo(paths: ProjectPaths) {
  const facts = await repoFacts(paths.root);
  if (!facts) throw notFound('git repository', paths.root);
  return facts;
}

/** Gathers the facts the removal rule and the list need; `cwd` is where git runs (the repository's top). */
export async function inspect(scope: WorktreeScope, cwd: string, record: WorktreeRecord): Promise<Inspected> {
  const exists = existsSync(record.path);
  const changes = exists ? await localChanges(record.path, record.setup_files).catch(() => null) : null;
  const uncommitted = changes ? [...changes.tracked, ...changes.untracked] : [];
  const head = await branchTip(cwd, record.branch);
  const ahead = head ? await commitsAhead(cwd, record.base_commit, head).catch(() => 0) : 0;
  const baseTip = await branchTip(cwd, record.base_branch);
  const mergeOnBase = record.merge_commit !== null && baseTip !== null && (await isAncestor(cwd, record.merge_commit, baseTip));
  const recovered = record.recover_branch !== null && head !== null && (await branchTip(cwd, record.recover_branch)) === head;
  const unmergedAfter =
    record.state === 'merged' &&
    head !== null &&
    (await branchAddsToBase(cwd, record.branch, record.base_branch, await mergedHead(cwd, record.merge_commit)));
  const agent = record.agent_id ? await scope.store.agents.find(record.agent_id) : undefined;
  const facts: WorktreeFacts = {
    owner: record.owner,
    state: record.state,
    liveAgent: await workingIn(scope, agent),
    taskStatus: (await findTaskState(scope.store.core, record.task_id))?.status ?? null,
    exists,
    uncommitted: uncommitted.length,
    ahead,
    mergeCommit: record.merge_commit,
    mergeOnBase,
    recovered,
    unmergedAfter,
    mergeAtEnd: record.merge_at_end === 1,
  };
  const verdict = removalVerdict(facts);
  const info: WorktreeInfo = {
    id: record.id,
    path: record.path,
    branch: record.branch,
    base_branch: record.base_branch,
    owner: record.owner,
    state: record.state,
    agent_id: record.agent_id,
    merge_commit: record.merge_commit,
    conflict_files: record.conflict_files,
    task_id: record.task_id,
    base_commit: record.base_commit,
    recover_branch: record.recover_branch,
    created_at: record.created_at,
    updated_at: record.updated_at,
    status: displayState(facts),
    ahead,
    uncommitted,
    exists,
    removable: verdict.removable,
    keep_reason: verdict.reason,
  };
  return { record, facts, info, head };
}

/** A worktree by its id, by an agent that worked in it, or by its task (the task's newest). */
export async function findRecord(store: Store, key: string): Promise<WorktreeRecord> {
  const record = (await store.worktrees.find(key)) ?? (await store.worktrees.forAgent(key)) ?? (await store.worktrees.newestForTask(key));
  if (!record) throw notFound('worktree', key, '(give a worktree, agent or task id)');
  return record;
}

/** `wg worktree list`: every worktree not yet removed, with its state now. */
export async function listWorktrees(scope: WorktreeScope): Promise<WorktreeInfo[]> {
  const records = await scope.store.worktrees.list();
  if (records.length === 0) return [];
  const repo = await projectRepo(scope.paths);
  return Promise.all(records.map(async (record) => (await inspect(scope, repo.top, record)).info));
}

/** A worktree's state now (what `wg worktree list` says of it), without its diff: for `wg show`. */
export async function worktreeStatus(scope: WorktreeScope, worktreeId: string): Promise<WorktreeInfo['status']> {
  const record = await findRecord(scope.store, worktreeId);
  const repo = await projectRepo(scope.paths);
  return (await inspect(scope, repo.top, record)).info.status;
}

/**
 * `wg worktree show ID`: the worktree and its diff: the merge commit once merged, else its live
 * changes (committed or not) against the base branch.
 */
export async function showWorktree(scope: WorktreeScope, key: string): Promise<WorktreeDetail> {
  const record = await findRecord(scope.store, key);
  const repo = await projectRepo(scope.paths);
  const { info } = await inspect(scope, repo.top, record);
  if (record.merge_commit) return { worktree: info, diff: await mergedDiff(repo.top, record.merge_commit), diff_note: null };
  if (!info.exists) return { worktree: info, diff: null, diff_note: `${record.path} is gone and nothing was merged` };
  const base = (await branchTip(repo.top, record.base_branch)) ?? record.base_commit;
  return { worktree: info, diff: await liveDiff(record.path, base, record.setup_files), diff_note: null };
}
