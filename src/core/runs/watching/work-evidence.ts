import { sql } from 'kysely';
import { resolve } from 'node:path';
import type { RunEvent } from '../../../shared/run-event';
import { folderFingerprint, readBaseline } from '../../worktrees/folder-baseline';
import { judgeWork, ToolWrites, type Evidence } from '../rules/work-evidence-rule';
import type { StoreCore } from '../../store/store-core';
import { parseLaunchRecord } from '../../run-folder/run-files';

/*
 * Exit 0 is not proof of work: an agent that exits without reporting done counts as done only if
 * it left evidence of its own (upstream's wrapper has the same gate; see leftEvidence). The
 * folder's state is taken as a fingerprint when the run starts and compared when it ends
 * (worktrees/folder-baseline.ts).
 */

/** Whether the agent wrote to its task (log entries, artifacts: both are logged under its id). */
export async function reportedAnything(core: StoreCore, taskId: string, agentId: string): Promise<boolean> {
  return (
    (await core.get(
      core.build.selectFrom('task_log').select(sql.lit(1).as('one')).where('task_id', '=', taskId).where('actor', '=', agentId).limit(1),
    )) !== undefined
  );
}

/**
 * Other local runs that may have worked in `folder` while this one went: their lifetimes overlap,
 * and their launch names that folder (or no folder: an older record, taken as sharing it).
 */
async function othersInFolder(core: StoreCore, agentId: string, folder: string): Promise<string[]> {
  const me = await core.get(core.build.selectFrom('agents').select('started_at').where('id', '=', agentId));
  if (!me) return [];
  const rows = await core.all(
    core.build
      .selectFrom('agents')
      .select(['id', 'launch'])
      .where('id', '!=', agentId)
      .where('runs_elsewhere', '=', 0)
      .where((eb) => eb.or([eb('ended_at', 'is', null), eb('ended_at', '>=', me.started_at)]))
      .orderBy('started_at'),
  );
  return rows
    .filter((row) => {
      const cwd = parseLaunchRecord(row.launch)?.cwd ?? null;
      return cwd === null || resolve(cwd) === resolve(folder);
    })
    .map((row) => row.id);
}

/**
 * Whether a run that exited 0 without `wg done` left evidence of work of its own (the rule:
 * judgeWork). What can be known per run: what it reported in its task; in its own worktree, any
 * change since it started (nothing else works there, and what an earlier attempt left was there at
 * its start); in a folder shared with other runs (the project folder, with no worktree), a change
 * only when it wrote the file itself by a tool call that names it, or when no other run worked in
 * that folder meanwhile. A person's own edits meanwhile cannot be told apart. With no baseline to
 * compare (it could not be taken) the folder counts as changed: in doubt, the agent's exit stands.
 */
export async function leftEvidence(input: {
  core: StoreCore;
  taskId: string;
  agentId: string;
  baselineFile: string;
  /** The project folder: a run working there shares it with every other run without a worktree. */
  sharedFolder: string;
  /** The run's own events (read only when needed). */
  events: () => readonly RunEvent[];
}): Promise<Evidence> {
  if (await reportedAnything(input.core, input.taskId, input.agentId)) return { found: true };
  const baseline = readBaseline(input.baselineFile);
  if (!baseline) return { found: true };
  let changed: boolean;
  try {
    changed = (await folderFingerprint(baseline.folder)) !== baseline.fingerprint;
  } catch {
    return { found: true };
  }
  const shared = resolve(baseline.folder) === resolve(input.sharedFolder);
  const others = changed && shared ? await othersInFolder(input.core, input.agentId, baseline.folder) : [];
  const found = judgeWork({
    reported: false,
    changed,
    others,
    wroteByTool: others.length > 0 && new ToolWrites(baseline.folder).add(input.events()).any(),
    changes: "the project folder's changes",
    advice: 'report with wg done, or give it a worktree',
  });
  if (found.found || found.reason || shared) return found;
  const earlier = await earlierWork(input.core, input.agentId, baseline.head);
  return earlier ? { found: false, reason: earlier } : found;
}

/**
 * A run that did nothing in a worktree an earlier attempt left commits in: said so, since those
 * commits are why the task's worktree holds work and why none of it was merged.
 */
async function earlierWork(core: StoreCore, agentId: string, head: string | null): Promise<string | null> {
  const row = await core.get(
    core.build.selectFrom('worktrees').select('base_commit').where('agent_id', '=', agentId).where('owner', '=', 'agent'),
  );
  if (!row || head === null || row.base_commit === head) return null;
  return (
    `agent exited without reporting or changing anything; the commits on its branch (up to ${head.slice(0, 10)}) were there ` +
    "when it started, an earlier attempt's, and are not its work: nothing was merged"
  );
}
