import { sql } from 'kysely';
import { statSync } from 'node:fs';
import type { WorktreeGcResult, WorktreeInfo } from '../../shared/worktree';
import { errorText, conflict } from '../../shared/errors';
import { appendLog } from '../store/task-writes';
import { findRecord, inspect, projectRepo, type Inspected, type WorktreeScope } from './inspect';
import type { GateCheck } from '../store/agency/gate-entry';
import { keepAgentWork } from './keep-work';
import { settleLateWork } from './late-work';
import { finishPendingMerge } from './merge-journal';
import { removalNotes, removeWorktree } from './removal';
import { mergeWorkOfTaskDoneElsewhere } from './done-elsewhere';
import { dropRecoveredOnBase } from './recovered-on-base';

/** Removes one inspected worktree and records it (and any recover/ branch) in the store and the task's log. */
export async function removeInspected(
  scope: WorktreeScope,
  cwd: string,
  item: Inspected,
  force: boolean,
  actor: string,
): Promise<string | null> {
  const { record, facts } = item;
  const merged = facts.state === 'merged' && (facts.mergeCommit === null || facts.mergeOnBase) && !facts.unmergedAfter;
  // Only what its setup made (a node_modules link) is left uncommitted: git would refuse it without --force.
  const onlySetup = record.setup_files.length > 0 && item.info.uncommitted.length === 0;
  const { recoverBranch, branchKept, leftOn } = await removeWorktree(cwd, {
    path: record.path,
    branch: record.branch,
    baseCommit: record.base_commit,
    agentId: record.agent_id ?? record.id,
    taskId: record.task_id,
    merged,
    force: force || onlySetup,
    tip: item.head,
  });
  // Its work merged, earlier runs' commits kept for it (a run killed, then its retry built on them) are on the base too.
  const dropped = merged ? await dropRecoveredOnBase(cwd, record.task_id, record.base_branch) : [];
  await scope.store.core.write(async (rev) => {
    await scope.store.worktrees.update(record.id, { state: 'removed', ...(recoverBranch ? { recover_branch: recoverBranch } : {}) }, rev);
    if (
      await scope.store.core.get(scope.store.core.build.selectFrom('tasks').select(sql.lit(1).as('one')).where('id', '=', record.task_id))
    ) {
      await appendLog(
        scope.store.core,
        record.task_id,
        actor,
        `Worktree ${record.path} removed${removalNotes(recoverBranch, branchKept, leftOn)}`,
      );
      for (const name of dropped) {
        await appendLog(
          scope.store.core,
          record.task_id,
          actor,
          `Branch ${name} deleted: everything on it is on ${record.base_branch} now`,
        );
      }
    }
  });
  return recoverBranch;
}

/**
 * `wg worktree gc`: the worktrees the removal rule (removal-rule.ts) lets go, removed with `apply`,
 * and why each other one is kept. The coordinator's own sweep is the same with `apply`.
 */
export async function collectWorktrees(
  scope: WorktreeScope,
  options: { apply: boolean; actor: string; olderS?: number },
): Promise<WorktreeGcResult> {
  const result: WorktreeGcResult = { applied: options.apply, removed: [], kept: [] };
  const records = await scope.store.worktrees.list();
  if (records.length === 0) return result;
  const repo = await projectRepo(scope.paths);
  const now = Date.now();
  for (const record of records) {
    // Upstream's --older: a worktree whose folder changed more recently than that is left out.
    const changedMs = options.olderS === undefined ? undefined : statSync(record.path, { throwIfNoEntry: false })?.mtimeMs;
    if (changedMs !== undefined && now - changedMs < (options.olderS as number) * 1000) {
      if (record.state !== 'removed') result.kept.push({ id: record.id, path: record.path, reason: 'changed more recently than --older' });
      continue;
    }
    const item = await inspect(scope, repo.top, record);
    if (!item.info.removable) {
      result.kept.push({ id: record.id, path: record.path, reason: item.info.keep_reason ?? 'kept' });
      continue;
    }
    if (!options.apply) {
      result.removed.push({ id: record.id, path: record.path, recover_branch: null });
      continue;
    }
    try {
      const recoverBranch = await removeInspected(scope, repo.top, item, false, options.actor);
      result.removed.push({ id: record.id, path: record.path, recover_branch: recoverBranch });
    } catch (error) {
      result.kept.push({ id: record.id, path: record.path, reason: errorText(error) });
    }
  }
  return result;
}

/**
 * `wg worktree remove ID [--force]`: a person's explicit removal. Never while an agent works in it,
 * never a person's own worktree; uncommitted changes only with `force`. Its unmerged commits are kept
 * on a recover/ branch first.
 */
export async function removeOne(scope: WorktreeScope, key: string, force: boolean, actor: string): Promise<WorktreeInfo> {
  const record = await findRecord(scope.store, key);
  if (record.state === 'removed') throw conflict(`worktree ${record.id} was already removed`);
  const repo = await projectRepo(scope.paths);
  const item = await inspect(scope, repo.top, record);
  const { facts } = item;
  if (facts.owner === 'person') throw conflict(`${record.path} is your own worktree; remove it with git worktree remove`);
  if (facts.liveAgent) throw conflict(`${facts.liveAgent} is working in ${record.path}; kill it first (wg kill ${facts.liveAgent})`);
  // Its task was marked done while its agent worked: its work is merged first, as the coordinator's sweep would.
  if (facts.mergeAtEnd) {
    const line = await mergeWorkOfTaskDoneElsewhere(scope, record);
    if ((await scope.store.worktrees.get(record.id)).merge_at_end === 1)
      throw conflict(line ?? `the work in ${record.path} is still to be merged`);
    return removeOne(scope, record.id, force, actor);
  }
  if (facts.uncommitted > 0 && !force) {
    throw conflict(
      `${record.path} has ${item.info.uncommitted.length} uncommitted file(s) (${item.info.uncommitted.slice(0, 5).join(', ')}); --force removes them`,
    );
  }
  await removeInspected(scope, repo.top, item, force, actor);
  return (await inspect(scope, repo.top, await scope.store.worktrees.get(record.id))).info;
}

/**
 * The coordinator's own sweep, after runs end and on start: the commits of every agent that is no
 * longer working and whose work was not merged (killed, dead, failed, a crash) are kept on a recover/
 * branch first; what an agent committed after its work was merged is merged too, or kept on a recover/
 * branch (late-work.ts, by the evaluation `gate` as configured); then the worktrees the removal rule
 * lets go are removed; a merge a crash interrupted has its checkout update finished (`note` gets what
 * these came to). Returns what was removed.
 */
export async function sweepWorktrees(
  scope: WorktreeScope,
  note: (line: string) => void = () => undefined,
  gate?: GateCheck,
): Promise<WorktreeGcResult['removed']> {
  const records = (await scope.store.worktrees.list()).filter((record) => record.owner === 'agent');
  if (records.length === 0) return [];
  const repo = await projectRepo(scope.paths);
  for (const line of await finishPendingMerge(repo.top, repo.commonDir)) note(line);
  for (const record of records) {
    if (record.state !== 'active' && record.state !== 'conflict') continue;
    const agentId = record.agent_id ?? record.id;
    if ((await scope.store.agents.find(agentId))?.state === 'working') continue;
    // A task marked done in graph.jsonl while its agent worked: its work is merged, not only kept.
    const merged = await mergeWorkOfTaskDoneElsewhere(scope, record).catch(
      (error: unknown) => `work of ${record.path} not merged: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (merged) note(merged);
    await keepAgentWork(scope, agentId);
  }
  for (const record of records) {
    if (record.state !== 'merged' || (await scope.store.agents.find(record.agent_id ?? record.id))?.state === 'working') continue;
    const line = await settleLateWork(scope, repo, record, gate).catch(
      (error: unknown) => `work after the merge of ${record.path} not settled: ${error instanceof Error ? error.message : String(error)}`,
    );
    if (line) note(line);
  }
  return (await collectWorktrees(scope, { apply: true, actor: 'coordinator' })).removed;
}
