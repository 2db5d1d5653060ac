import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findTaskState } from '../store/task-reads';
import { appendLog, touch } from '../store/task-writes';
import type { WorktreeRecord } from '../store/worktree-records';
import { localChanges, nestedRepositories } from './changes';
import { git } from './git';
import type { WorktreeScope } from './inspect';
import { FALLBACK_IDENTITY, mergedHead } from './merge';
import { keepCommit } from './recover';
import { branchTip, isAncestor, repoFacts } from './repo';
import { realPath, type RunStray, runStrays, type StrayRun } from './run-strays';

/**
 * A run that makes a worktree or branch of its own (`git worktree add ../x -b x`, Claude Code's EnterWorktree, a
 * `git checkout -b` it then leaves) works outside the branch that is merged: its commits there never reach the base
 * branch, and its `wg done` finds "nothing to merge". Each one it made (run-strays.ts) is accounted for: its commits
 * are the run's work, taken onto the run's branch (moved up to them, or merged with them), so the merge takes them
 * (at its done, and at its end for what came after); what cannot be (a conflict, a worktree with changes in the way,
 * a run with no branch of its own) is kept on a recover/ branch at the run's end. Each is named in the task's log
 * (which `wg show` prints), and left in place: it may hold uncommitted work, and git lets only a forced removal take
 * a locked one.
 */

const short = (commit: string) => commit.slice(0, 10);

function what(stray: RunStray): string {
  if (stray.path === null) return `The branch ${stray.branch ?? '?'}`;
  return `The worktree ${stray.path} (${stray.branch ? `branch ${stray.branch}` : 'a detached HEAD'}${stray.locked ? ', locked' : ''})`;
}

function leftInPlace(stray: RunStray): string {
  return stray.path === null ? '' : `; it is left in place for you (git worktree remove${stray.locked ? ' -f -f' : ''} ${stray.path})`;
}

/** The agent worktree the run's work is merged from, when its branch may still take more (not awaiting a score, not in conflict). */
async function runWorktree(scope: WorktreeScope, agentId: string): Promise<WorktreeRecord | null> {
  const record = await scope.store.worktrees.forAgent(agentId);
  return record?.owner === 'agent' && (record.state === 'active' || record.state === 'merged') ? record : null;
}

/**
 * Whether `head` is on the run's branch, the base branch or a recover/ branch already, or in what a merge of the run's
 * work took (`took`: its branch may be gone since): nothing of it would be lost.
 */
async function heldAlready(cwd: string, head: string, keepers: readonly string[], took: string | null = null): Promise<boolean> {
  if (took && (took === head || (await isAncestor(cwd, head, took)))) return true;
  const holders = (await git(cwd, ['for-each-ref', '--contains', head, '--format=%(refname)', 'refs/heads/'])).stdout.split('\n');
  return holders.some((ref) => ref.startsWith('refs/heads/recover/') || keepers.includes(ref.replace(/^refs\/heads\//, '')));
}

/** How the run's branch took a stray's commits: moved up to them, or merged with them. */
type Taken = 'moved' | 'merged';

/**
 * Takes `head` (commits the run made elsewhere) onto the run's branch, in its worktree, whose files follow: moved up to
 * it when that only adds to the branch, else merged with it when the two merge without a conflict (a commit on the
 * branch; its merge onto the base is one squash commit all the same). Only where the worktree is on its branch
 * (follow-head.ts puts it back first when it left it); git refuses where its uncommitted changes would be overwritten,
 * and then nothing is taken. Null when nothing was.
 */
async function takeOnto(cwd: string, record: WorktreeRecord, head: string, message: string): Promise<Taken | null> {
  if (!existsSync(record.path)) return null;
  const ref = (await git(record.path, ['symbolic-ref', '-q', 'HEAD'], { okCodes: [1, 128] })).stdout.trim();
  const tip = await branchTip(cwd, record.branch);
  if (ref !== `refs/heads/${record.branch}` || !tip) return null;
  // No hooks: a person's post-merge hook (an install, a build) is theirs to run, not this bookkeeping's.
  const merge = (args: string[], env?: Record<string, string>) =>
    git(record.path, ['-c', 'core.hooksPath=/dev/null', 'merge', '-q', ...args, head], { okCodes: [1, 128], ...(env ? { env } : {}) });
  if (await isAncestor(cwd, tip, head)) return (await merge(['--ff-only'])).exitCode === 0 ? 'moved' : null;
  const check = await git(cwd, ['merge-tree', '--write-tree', '--no-messages', tip, head], { okCodes: [1] });
  if (check.exitCode !== 0) return null;
  // A repository with no name and email configured still gets its merge commit, under the app's name (as merge.ts).
  const known = (await git(record.path, ['var', 'GIT_COMMITTER_IDENT'], { okCodes: [128] })).exitCode === 0;
  const merged = await merge(['--no-ff', '--no-edit', '-m', message], known ? undefined : FALLBACK_IDENTITY);
  if (merged.exitCode === 0) return 'merged';
  // Stopped part way (it should not, after a clean merge-tree): the worktree is put back as it was.
  await git(record.path, ['merge', '--abort'], { okCodes: [128] });
  return null;
}

function takenLine(stray: RunStray, agentId: string, record: WorktreeRecord, taken: Taken, commit: string): string {
  const how =
    taken === 'moved'
      ? `held commits that only add to ${record.branch}: ${record.branch} was moved up to them (${short(commit)})`
      : `held commits ${record.branch} lacked: they were merged into it (${short(commit)})`;
  return `${what(stray)} that ${agentId} made ${how}, so they are merged with its work${leftInPlace(stray)}`;
}

/** Takes the stray onto the run's branch (takeOnto): the line for the task's log, or null. */
async function bringOnto(cwd: string, record: WorktreeRecord, stray: RunStray & { head: string }, agentId: string): Promise<string | null> {
  const name = stray.path === null ? `branch ${stray.branch ?? ''}` : `worktree ${stray.path}`;
  const taken = await takeOnto(cwd, record, stray.head, `wg: the ${name} that ${agentId} made\n`);
  if (!taken) return null;
  return takenLine(stray, agentId, record, taken, (await branchTip(cwd, record.branch)) ?? stray.head);
}

/**
 * At a run's done (and its merge after exit), before the merge: what it made elsewhere, taken onto its branch, so the
 * merge takes it. Returns lines for the task's log. What cannot be taken is kept at its end.
 */
export async function bringStraysHome(scope: WorktreeScope, record: WorktreeRecord, run: StrayRun | null): Promise<string[]> {
  if (!run || record.owner !== 'agent') return [];
  const repo = await repoFacts(scope.paths.root);
  if (!repo) return [];
  const known = new Set((await scope.store.worktrees.list()).map((r) => r.path));
  const lines: string[] = [];
  for (const stray of await runStrays(repo.top, run, known)) {
    if (!stray.head || (await heldAlready(repo.top, stray.head, [record.branch, record.base_branch]))) continue;
    const line = await bringOnto(repo.top, record, { ...stray, head: stray.head }, run.agentId);
    if (line) lines.push(line);
  }
  return lines;
}

/**
 * At a run's end (however it ended, its own `wg done` included), before it is judged: every worktree and branch it
 * made is accounted for in its task's log: taken onto its branch (its merge after exit, or the merge of work after
 * its done, takes it), kept on a recover/ branch, or said to hold nothing the base lacks. A git repository of its own
 * it made inside its worktree (`git init`, a clone) is said too: never committed (as a gitlink), and its worktree is
 * kept while it is there. Returns the lines written.
 */
export async function settleRunStrays(scope: WorktreeScope, run: StrayRun): Promise<string[]> {
  const repo = await repoFacts(scope.paths.root);
  if (!repo) return [];
  const records = await scope.store.worktrees.list();
  const record = await runWorktree(scope, run.agentId);
  const strays = await runStrays(repo.top, run, new Set(records.map((r) => r.path)));
  const nested =
    record && existsSync(record.path) ? nestedRepositories((await localChanges(record.path, record.setup_files)).untracked) : [];
  if (strays.length === 0 && nested.length === 0) return [];
  const last = await scope.store.worktrees.forAgent(run.agentId);
  const base = last?.base_branch ?? repo.branch;
  const took = await mergedHead(repo.top, last?.merge_commit ?? null);
  const onto = record?.branch ?? base;
  const keepers = [record?.branch, base].filter((b): b is string => !!b);
  const lines: string[] = [];
  // What the task's log says already (its done named what it took): each is said once.
  const said = (await scope.store.get(run.taskId).catch(() => null))?.log.map((entry) => entry.message) ?? [];
  for (const stray of strays) {
    const held = !stray.head || (await heldAlready(repo.top, stray.head, keepers, took));
    if (held) {
      // Brought home at its done, or nothing of its own: a worktree is still said, once (it may hold uncommitted work).
      if (stray.path !== null && !said.some((line) => line.includes(stray.path as string)))
        lines.push(
          `${what(stray)} that ${run.agentId} made holds no commits that are not on ${onto ?? 'the base branch'}${leftInPlace(stray)}`,
        );
      continue;
    }
    const head = stray.head as string;
    const taken = record ? await bringOnto(repo.top, record, { ...stray, head }, run.agentId) : null;
    if (taken) {
      lines.push(taken);
      continue;
    }
    const kept = await keepCommit(repo.top, head, run);
    lines.push(
      `${what(stray)} that ${run.agentId} made holds commits that are not on ${onto ?? 'the base branch'}: nothing of it is merged ` +
        `with the task's work, and they are kept on ${kept ?? 'no branch (none could be made)'}${leftInPlace(stray)}`,
    );
  }
  if (record) {
    // A worktree of this repository nested there is one of the strays above; any other repository is its own.
    const worktrees = new Set(strays.flatMap((stray) => (stray.path ? [realPath(stray.path)] : [])));
    for (const path of nested) {
      const where = join(record.path, path);
      if (worktrees.has(realPath(where)) || said.some((line) => line.includes(where))) continue;
      lines.push(
        `A git repository of its own at ${where}, inside the worktree of ${run.agentId}, is not part of the task's work: nothing of ` +
          'it is committed (as a gitlink, it would name commits this repository lacks) or merged; the worktree is kept while it is there',
      );
    }
  }
  if (lines.length === 0) return [];
  await scope.store.core.write(async (rev) => {
    if (!(await findTaskState(scope.store.core, run.taskId))) return;
    for (const line of lines) await appendLog(scope.store.core, run.taskId, 'coordinator', line);
    await touch(scope.store.core, run.taskId, rev);
  });
  return lines;
}
