import { conflict } from '../../shared/errors';
import { isUnmergedState } from '../../shared/worktree';
import { appendLog, type NewTask } from '../store/task-writes';
import type { WorktreeChange, WorktreeRecord, WorktreeWrite } from '../store/worktree-records';
import type { WorktreeScope } from './inspect';
import { commitLeftWork } from './commit-left-files';
import { followWorktreeHead, HeadApartError } from './follow-head';
import { checkSquashMerge, squashMerge, unrecordedMerge, type MergeRequest } from './merge';
import { mergeMessage } from './naming';
import { repoFacts } from './repo';
import { fileList } from './file-list';
import { strayRun } from './run-strays';
import { bringStraysHome } from './stray-worktrees';

/** What merging a task's worktree came to. */
export type TaskMerge =
  /** No worktree of an agent to merge (none, a person's own, or merged already). */
  | { kind: 'none' }
  | { kind: 'merged'; record: WorktreeRecord; commit: string | null; notes: string[] }
  /** Checked, not made: it merges cleanly now and waits for the evaluation gate (`empty`: it adds nothing). */
  | { kind: 'checked'; record: WorktreeRecord; empty: boolean; notes: string[] }
  | { kind: 'dirty'; record: WorktreeRecord; files: string[] }
  | { kind: 'conflict'; record: WorktreeRecord; files: string[] }
  /** A checkout of the base branch is mid-merge or mid-rebase (`why`): not merged under it, nothing changed. */
  | { kind: 'busy'; record: WorktreeRecord; files: string[]; why: string };

/** A merge that did not happen, for a reason a done is refused for (or marked done past, with a follow-up task). */
export type UnmergedTaskWork = Extract<TaskMerge, { kind: 'dirty' | 'conflict' | 'busy' }>;

const list = fileList;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The task's agent worktree with work a done would merge, and how to merge it; null when there is none. */
async function mergeRequestFor(
  scope: WorktreeScope,
  task: { id: string; title: string },
  agentId: string | null,
): Promise<{ record: WorktreeRecord; request: MergeRequest; landed: string | null } | null> {
  const record = await scope.store.worktrees.newestForTask(task.id);
  if (record?.owner !== 'agent' || !isUnmergedState(record.state)) return null;
  const repo = await repoFacts(scope.paths.root);
  if (!repo) return null;
  const who = agentId ?? record.agent_id ?? record.id;
  const message = mergeMessage(task.id, who, task.title, record.branch);
  // A merge of it that landed unrecorded (an interrupted done): only what the branch gained since is merged now.
  const earlier = await unrecordedMerge(repo.top, record.base_branch, record.branch, message);
  return {
    record,
    landed: earlier?.commit ?? null,
    request: {
      cwd: repo.top,
      commonDir: repo.commonDir,
      worktree: record.path,
      branch: record.branch,
      baseBranch: record.base_branch,
      message,
      setupFiles: record.setup_files,
      since: earlier?.took ?? null,
    },
  };
}

/**
 * What the run made outside its branch (a worktree of its own, stray-worktrees.ts), taken onto the branch so the merge
 * takes it: lines for the task's log. `agentId`: the run (the worktree's last one when null).
 */
async function strayWorkHome(scope: WorktreeScope, taskId: string, record: WorktreeRecord, agentId: string | null): Promise<string[]> {
  const run = strayRun(scope.paths, agentId ?? record.agent_id ?? record.id, taskId);
  return bringStraysHome(scope, record, run);
}

/** What a done says of an earlier merge of the same work that landed without being recorded. */
function landedNote(landed: string | null, record: WorktreeRecord): string[] {
  if (!landed) return [];
  return [
    `A merge of this work had landed on ${record.base_branch} as ${landed.slice(0, 10)} without being recorded (a done stopped part way): only what ${record.branch} gained since is merged`,
  ];
}

/**
 * Squash-merges the task's worktree branch onto its base branch (see merge.ts), reporting rather than
 * throwing what stops it. `agentId`: whose work it is (named in the commit's message); the worktree's
 * own last agent when not given.
 */
export async function mergeTaskWork(scope: WorktreeScope, task: { id: string; title: string }, agentId: string | null): Promise<TaskMerge> {
  const found = await mergeRequestFor(scope, task, agentId);
  if (!found) return { kind: 'none' };
  const { record, request, landed } = found;
  const followed = await followWorktreeHead(request.cwd, record);
  const home = await strayWorkHome(scope, task.id, record, agentId);
  const outcome = await squashMerge(request);
  const earlier = landedNote(landed, record);
  switch (outcome.kind) {
    case 'dirty':
    case 'conflict':
      return { kind: outcome.kind, record, files: outcome.files };
    case 'busy':
      return { kind: 'busy', record, files: outcome.files, why: outcome.why };
    case 'nothing':
      return {
        kind: 'merged',
        record,
        commit: null,
        notes: [
          ...outcome.recovered,
          ...earlier,
          ...(followed ? [followed] : []),
          ...home,
          `Nothing to merge: ${record.branch} adds nothing to ${record.base_branch}`,
          ...leftOutNotes(outcome),
        ],
      };
    case 'already':
      return {
        kind: 'merged',
        record,
        commit: outcome.commit,
        notes: [
          ...outcome.recovered,
          ...earlier,
          ...(followed ? [followed] : []),
          ...home,
          `Already merged onto ${record.base_branch} as ${outcome.commit.slice(0, 10)}`,
          ...gitlinkNote(outcome.gitlinks),
        ],
      };
    case 'merged': {
      const notes = [
        ...outcome.recovered,
        ...earlier,
        ...(followed ? [followed] : []),
        ...home,
        `Merged ${record.branch} onto ${record.base_branch} as ${outcome.commit.slice(0, 10)}`,
      ];
      for (const update of outcome.checkouts) notes.push(...update.notes);
      return { kind: 'merged', record, commit: outcome.commit, notes: [...notes, ...leftOutNotes(outcome)] };
    }
  }
}

/**
 * The checks of mergeTaskWork without the merge (merge.ts checkSquashMerge): for work that waits for
 * the evaluation gate, which merges it only on a passing score (agency/evaluation/settle-evaluation.ts).
 */
export async function checkTaskWork(scope: WorktreeScope, task: { id: string; title: string }): Promise<TaskMerge> {
  const found = await mergeRequestFor(scope, task, null);
  if (!found) return { kind: 'none' };
  const { record, request } = found;
  const followed = await followWorktreeHead(request.cwd, record);
  const home = await strayWorkHome(scope, task.id, record, null);
  const check = await checkSquashMerge(request);
  if (check.kind !== 'clean') return { kind: check.kind, record, files: check.files };
  const what = check.empty
    ? `${record.branch} adds nothing to ${record.base_branch}`
    : `${record.branch} merges cleanly onto ${record.base_branch}`;
  return {
    kind: 'checked',
    record,
    empty: check.empty,
    notes: [
      ...(followed ? [followed] : []),
      ...home,
      `Merge checked: ${what}; it is merged only once the evaluation passes`,
      ...leftOutNotes(check),
    ],
  };
}

/** What a merge left out: untracked files, and gitlinks. */
function leftOutNotes(left: { untracked: readonly string[]; gitlinks: readonly string[] }): string[] {
  return [...untrackedNote(left.untracked), ...gitlinkNote(left.gitlinks)];
}

/** Gitlinks the branch committed that no .gitmodules names, left out of the merge (gitlinks.ts). */
export function gitlinkNote(gitlinks: readonly string[]): string[] {
  if (gitlinks.length === 0) return [];
  return [
    `Not merged: ${list(gitlinks)}, committed as a gitlink (a git repository inside the worktree, which no .gitmodules names): ` +
      'the base branch gets no pointer to commits it lacks, and keeps what it had there',
  ];
}

/** The untracked files the merge left, not counting a git repository inside the worktree (its run's end says those). */
function untrackedNote(left: readonly string[]): string[] {
  const untracked = left.filter((path) => !path.endsWith('/'));
  if (untracked.length === 0) return [];
  return [`Not merged: ${plural(untracked.length, 'untracked file')} never committed (${list(untracked)}); they stay in the worktree`];
}

/** The one line an agent (or person) reads when its done is refused. */
export function refusal(merge: UnmergedTaskWork, taskId: string): string {
  const { record, files } = merge;
  if (merge.kind === 'busy') {
    return `${record.branch} was not merged: ${merge.why}; nothing changed on ${record.base_branch}. Once that is finished or aborted there (git merge --continue or --abort, git rebase --continue or --abort), run wg done again`;
  }
  if (merge.kind === 'dirty') {
    return `${plural(files.length, 'tracked file')} in ${record.path} modified but not committed (${list(files)}): commit them (git add -A && git commit) and run wg done again`;
  }
  return (
    `merging ${record.branch} onto ${record.base_branch} conflicts in ${list(files)}; nothing changed on ${record.base_branch}: ` +
    `merge it into your branch (git merge ${record.base_branch}), resolve, commit and run wg done again (or wg done ${taskId} --ignore-unmerged-worktree)`
  );
}

/** What a done writes about the worktree, in the done's own transaction. */
export type DoneWorktree = WorktreeWrite;

/** The `.merge-<task-id>` task a person (or an agent) resolves later. */
export function mergeTaskFor(taskId: string, merge: UnmergedTaskWork): NewTask & { id: string } {
  const { record, files } = merge;
  const what =
    merge.kind === 'conflict'
      ? 'Conflicting files'
      : merge.kind === 'busy'
        ? `Not merged because ${merge.why}; files unmerged there`
        : 'Files modified but not committed in the worktree';
  const description = [
    `The work of **${taskId}** was marked done without being merged (wg done --ignore-unmerged-worktree).`,
    '',
    `- Branch: \`${record.branch}\``,
    `- Base branch: \`${record.base_branch}\``,
    `- Worktree: \`${record.path}\``,
    '',
    `${what}:`,
    ...files.map((file) => `- \`${file}\``),
    '',
    `Merge it: \`git merge ${record.branch}\` in a checkout of ${record.base_branch} (or in your worktree), resolve the conflicts, commit, then \`wg done\`.`,
  ].join('\n');
  return { id: `.merge-${taskId}`, title: `Merge: ${taskId}`, description, tags: ['merge'], after: [taskId] };
}

/**
 * Turns a merge into what a done writes, or refuses it: uncommitted tracked files or a conflict stop
 * the done (the agent's run goes on, so it can commit or merge), unless the person said
 * `--ignore-unmerged-worktree`, which marks it done anyway with a `.merge-<task-id>` task to finish it.
 */
export function doneWorktree(merge: TaskMerge, taskId: string, ignoreUnmerged: boolean): DoneWorktree | null {
  switch (merge.kind) {
    case 'none':
      return null;
    case 'merged':
      return {
        id: merge.record.id,
        change: { state: 'merged', merge_commit: merge.commit, conflict_files: [] },
        log: merge.notes,
        mergeTask: null,
      };
    case 'checked':
      return { id: merge.record.id, change: { state: 'awaiting-eval', conflict_files: [] }, log: merge.notes, mergeTask: null };
    default: {
      if (!ignoreUnmerged) throw conflict(refusal(merge, taskId));
      const mergeTask = mergeTaskFor(taskId, merge);
      const change: WorktreeChange = merge.kind === 'conflict' ? { state: 'conflict', conflict_files: merge.files } : {};
      return {
        id: merge.record.id,
        change,
        log: [`Done without merging ${merge.record.branch}; follow-up task ${mergeTask.id}`],
        mergeTask,
      };
    }
  }
}

/**
 * The worktree step of `wg done` (and of the HTTP and window's done): merge, then hand the done what
 * to write, or refuse it. A refused conflict is still recorded on the worktree and in the task's log,
 * so the window shows it on the card while the agent works it out. `evaluated`: the done waits for the
 * evaluation gate, so the merge is only checked now and made once the score passes.
 */
export async function worktreeForDone(
  scope: WorktreeScope,
  task: { id: string; title: string },
  agentId: string | null,
  ignoreUnmerged: boolean,
  actor: string,
  evaluated = false,
): Promise<DoneWorktree | null> {
  // New files the run left uncommitted are its work, as when it exits 0 without a done: committed on
  // its branch first, so the merge takes them instead of stranding them in the worktree.
  // Every refusal is in the task's log under the one who asked: a run that exits after it is then said to have had its
  // done refused, and why, rather than to have exited without one (merge-after-exit.ts howItEnded).
  const refused = (why: string) => appendLog(scope.store.core, task.id, actor, `Done refused: ${why}`);
  const left = await commitLeftWork(scope, task.id, agentId);
  if (left.kind === 'failed' && !ignoreUnmerged) {
    const why = `${plural(left.files.length, 'new file')} in the worktree could not be committed (${list(left.files)}): ${left.why}`;
    await scope.store.core.write(() => refused(why));
    throw conflict(`${why}; commit them (git add and git commit) and run wg done again`);
  }
  const merge = await (evaluated ? checkTaskWork(scope, task) : mergeTaskWork(scope, task, agentId)).catch(async (error: unknown) => {
    // The worktree's HEAD and its branch went apart (follow-head.ts): the done is refused with git's way out.
    if (error instanceof HeadApartError) await scope.store.core.write(() => refused(error.message));
    throw error;
  });
  if (!ignoreUnmerged) {
    if (merge.kind === 'conflict')
      await scope.store.core.write(async (rev) => {
        await scope.store.worktrees.update(merge.record.id, { state: 'conflict', conflict_files: merge.files }, rev);
        await refused(`merging ${merge.record.branch} conflicts in ${list(merge.files)}`);
      });
    if (merge.kind === 'dirty')
      await scope.store.core.write(() =>
        refused(`${plural(merge.files.length, 'tracked file')} in ${merge.record.path} modified but not committed (${list(merge.files)})`),
      );
    if (merge.kind === 'busy') await scope.store.core.write(() => refused(merge.why));
  }
  return doneWorktree(merge, task.id, ignoreUnmerged);
}
