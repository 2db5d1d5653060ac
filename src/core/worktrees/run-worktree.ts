import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ExecutorType, Settings } from '../../shared/config-types';
import { WgError } from '../../shared/errors';
import type { ProjectPaths } from '../project';
import type { Store } from '../store/store';
import type { WorktreeRecord } from '../store/worktree-records';
import { commitChangesLeftForRetry } from './commit-left-files';
import { createWorktree, reattachWorktree } from './create';
import { hasFirstCommit } from './first-commit';
import { workingIn, type WorktreeScope } from './inspect';
import { wantsWorktree } from './isolated';
import { worktreeBranch, worktreePath } from './naming';
import { resolveBaseBranch, type RepoFacts } from './repo';
import { cachedRepoFacts } from './repo-facts-cache';

/** Where one run works, and what it is told (WG_WORKTREE_PATH, WG_BRANCH, WG_PROJECT_ROOT). */
export interface RunWorktree {
  id: string;
  /** The worktree's top folder. */
  path: string;
  /** The run's working folder: the project folder's place inside the worktree. */
  cwd: string;
  branch: string;
  baseBranch: string;
  projectRoot: string;
  owner: 'agent' | 'person';
  /** A retry resuming the task's kept worktree. */
  reused: boolean;
  env: Record<string, string>;
}

export interface RunRequest {
  store: Store;
  paths: ProjectPaths;
  settings: Pick<Settings, 'coordinator'>;
  taskId: string;
  agentId: string;
  executorType: ExecutorType;
  /** The executor profile's own choice (`worktree = true/false`); absent: its type's default (wantsWorktree). */
  worktree?: boolean | null;
}

/** Whether runs of this project get worktrees: on in a git repository unless turned off; off elsewhere unless turned on. */
async function isolationFor(request: RunRequest): Promise<RepoFacts | null> {
  const wanted = request.settings.coordinator.worktrees;
  if (wanted === false) return null;
  const found = await cachedRepoFacts(request.paths.root);
  // A repository with no commit yet has no tip a worktree could start from: a run goes where it would without git.
  const facts = found && hasFirstCommit(found.gitDir) ? found : null;
  if (!facts && wanted === true) {
    const why = found ? 'has no commit yet (commit once, or' : 'is not a git repository (';
    throw new WgError(
      'invalid',
      `cannot make a worktree: ${request.paths.root} ${why} wg config --worktrees false runs agents in the folder itself)`,
    );
  }
  return facts;
}

function runWorktree(record: WorktreeRecord, facts: RepoFacts | null, projectRoot: string, reused: boolean): RunWorktree {
  // A project folder below the repository's top works in the same place below the worktree's.
  const inside = facts && record.owner === 'agent' ? relative(facts.top, projectRoot) : '';
  const cwd = inside ? join(record.path, inside) : record.path;
  return {
    id: record.id,
    path: record.path,
    cwd,
    branch: record.branch,
    baseBranch: record.base_branch,
    projectRoot,
    owner: record.owner,
    reused,
    env: { WG_WORKTREE_PATH: record.path, WG_BRANCH: record.branch, WG_PROJECT_ROOT: projectRoot },
  };
}

/**
 * The worktree a run of a code-changing executor works in, made or reused before it starts: the task's
 * kept worktree if it has one (a retry resumes its commits and uncommitted work), a person's own if the
 * task names one, else a new one from the base branch's tip. Null when the project does not isolate runs.
 * Any failure is thrown with its reason: a run never silently falls back to the shared folder.
 */
export async function prepareRunWorktree(request: RunRequest): Promise<RunWorktree | null> {
  if (!wantsWorktree(request.executorType, request.worktree)) return null;
  const { store, paths, taskId, agentId } = request;
  const current = await store.worktrees.newestForTask(taskId);
  if (current?.owner === 'person' && current.state !== 'removed') {
    if (!existsSync(current.path)) throw new WgError('not_found', `the worktree ${current.path} this task should run in is gone`);
    await store.worktrees.change(current.id, { agent_id: agentId });
    return runWorktree(current, null, paths.root, true);
  }
  const facts = await isolationFor(request);
  if (!facts) return null;
  if (current && (current.state === 'active' || current.state === 'conflict')) {
    const reused = await reuse({ store, paths }, facts, current, agentId);
    if (reused) return runWorktree(reused, facts, paths.root, true);
  }
  return create(request, facts);
}

/** The task's kept worktree, checked out again if its folder went; null when its branch went too. */
async function reuse(scope: WorktreeScope, facts: RepoFacts, record: WorktreeRecord, agentId: string): Promise<WorktreeRecord | null> {
  const { store } = scope;
  if (!existsSync(record.path)) {
    try {
      await reattachWorktree(facts, record.path, record.branch);
    } catch (error) {
      if (!(error instanceof WgError && error.code === 'not_found')) throw error;
      // Nothing of it is left (a crash between recording and making it, or removed by hand): start afresh.
      await store.worktrees.change(record.id, { state: 'removed' });
      return null;
    }
  }
  const earlier = record.agent_id === null ? undefined : await store.agents.find(record.agent_id);
  await commitChangesLeftForRetry(store, record, agentId, await workingIn(scope, earlier));
  await store.worktrees.change(record.id, { agent_id: agentId, state: 'active' });
  return store.worktrees.get(record.id);
}

/**
 * A new worktree, recorded BEFORE it is made (as a run is claimed before it starts): a crash in
 * between leaves a record the next run of the task finds and repairs, never a folder nobody knows of.
 */
async function create(request: RunRequest, facts: RepoFacts): Promise<RunWorktree> {
  const { store, paths, taskId, agentId } = request;
  const base = await resolveBaseBranch(facts, request.settings.coordinator.base_branch);
  const planned = { path: worktreePath(paths.root, agentId), branch: worktreeBranch(agentId, taskId) };
  await store.core.write((rev) =>
    store.worktrees.insert(
      {
        id: agentId,
        task_id: taskId,
        agent_id: agentId,
        path: planned.path,
        branch: planned.branch,
        base_branch: base.branch,
        base_commit: base.tip,
        owner: 'agent',
      },
      rev,
    ),
  );
  const env = { WG_TASK_ID: taskId, WG_AGENT_ID: agentId, WG_DIR: paths.dir, WG_PROJECT_ROOT: paths.root };
  try {
    const made = await createWorktree({ facts, projectRoot: paths.root, wgDir: paths.dir, agentId, taskId, base, env });
    if (made.setupFiles.length > 0) await store.worktrees.change(agentId, { setup_files: made.setupFiles });
  } catch (error) {
    // createWorktree took away whatever it had made: nothing of this worktree exists.
    await store.worktrees.forget(agentId);
    throw error;
  }
  return runWorktree(await store.worktrees.get(agentId), facts, paths.root, false);
}
