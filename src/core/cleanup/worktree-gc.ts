import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { WorktreeGcItem, WorktreeGcReport } from '../../shared/cleanup';
import { errorText } from '../../shared/errors';
import { isTerminal } from '../graph/readiness';
import { inspect, projectRepo, type Inspected, type WorktreeScope } from '../worktrees/inspect';
import { worktreesRoot } from '../worktrees/naming';
import { removeInspected } from '../worktrees/sweep';

/*
 * `wg gc --worktrees`, upstream's fallback clean-up of agents' worktrees left under `.wg-worktrees/`:
 * a dry run unless `--apply`. Each `agent-*` folder is classed with upstream's gates (not the run
 * asking, no live agent, its task finished, nothing uncommitted unless `--force`); a removal keeps
 * the worktree's unmerged commits on a recover/ branch first, as every removal here does, so only
 * uncommitted changes (with --force) are ever lost. A folder this app has no record of (upstream's
 * own runs, say) is skipped.
 */

export interface WorktreeGcOptions {
  apply: boolean;
  force: boolean;
  /** The run asking, whose own worktree is never touched. */
  selfAgent: string | null;
  actor: string;
}

/**
 * Upstream's gates, in its order: a live agent's worktree and an unfinished task's are never touched;
 * uncommitted changes need --force. A person's own worktree is never this app's to remove.
 */
async function classify(item: Inspected, scope: WorktreeScope, force: boolean): Promise<Pick<WorktreeGcItem, 'class' | 'reason'>> {
  const { facts, record } = item;
  if (facts.owner === 'person') return { class: 'skip', reason: "a person's own worktree" };
  if (facts.liveAgent) return { class: 'skip', reason: `live agent (${facts.liveAgent} is working in it)` };
  if (facts.taskStatus !== null && !isTerminal(facts.taskStatus)) {
    return { class: 'skip', reason: `task '${record.task_id}' is non-terminal (${facts.taskStatus})` };
  }
  if (facts.exists && facts.uncommitted > 0) {
    return force
      ? { class: 'force', reason: 'uncommitted changes present (--force discards them)' }
      : { class: 'uncommitted', reason: 'uncommitted changes present (use --force to discard)' };
  }
  const agentState = record.agent_id ? ((await scope.store.agents.find(record.agent_id))?.state ?? 'none') : 'none';
  return {
    class: 'safe',
    reason: `agent_status=${agentState} task=${record.task_id} task_status=${facts.taskStatus ?? 'missing-from-graph'}`,
  };
}

export async function collectWorktreeGarbage(scope: WorktreeScope, options: WorktreeGcOptions): Promise<WorktreeGcReport> {
  const dir = worktreesRoot(scope.paths.root);
  const report: WorktreeGcReport = {
    kind: 'worktrees',
    applied: options.apply,
    force: options.force,
    dir,
    exists: existsSync(dir),
    worktrees: [],
  };
  if (!report.exists) return report;
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith('agent-'))
    .map((entry) => entry.name)
    .sort();
  if (names.length === 0) return report;
  const repo = await projectRepo(scope.paths);
  for (const name of names) {
    const path = join(dir, name);
    if (name === options.selfAgent) {
      report.worktrees.push({ agent_id: name, path, class: 'skip', reason: 'this is the currently running agent' });
      continue;
    }
    const record = await scope.store.worktrees.find(name);
    if (!record || record.state === 'removed') {
      report.worktrees.push({ agent_id: name, path, class: 'skip', reason: 'no registry entry — conservative skip' });
      continue;
    }
    const item = await inspect(scope, repo.top, record);
    const classed: WorktreeGcItem = { agent_id: name, path, ...(await classify(item, scope, options.force)) };
    report.worktrees.push(classed);
    if (!options.apply || (classed.class !== 'safe' && classed.class !== 'force')) continue;
    try {
      classed.recover_branch = await removeInspected(scope, repo.top, item, classed.class === 'force', options.actor);
      classed.removed = true;
    } catch (error) {
      classed.removed = false;
      classed.error = errorText(error);
    }
  }
  return report;
}
