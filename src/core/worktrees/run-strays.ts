import { realpathSync } from 'node:fs';
import { basename, sep } from 'node:path';
import type { RunEvent } from '../../shared/run-event';
import type { ProjectPaths } from '../project';
import { readRunEvents, runDir } from '../run-folder/run-log';
import { runFiles } from '../run-folder/run-files';
import { type FolderBaseline, readBaseline } from './folder-baseline';
import { git } from './git';
import { listGitWorktrees } from './worktree-list';

/** A worktree or branch that appeared in the repository while a run went, and that the run made. */
export interface RunStray {
  /** Its folder; null for a branch no worktree has checked out. */
  path: string | null;
  branch: string | null;
  /** The commit it holds; null for a worktree on a branch with no commit yet. */
  head: string | null;
  locked: boolean;
}

/** What is known of a run, to tell the worktrees and branches it made. */
export interface StrayRun {
  agentId: string;
  taskId: string;
  /** The repository's worktrees and branches when it started, and its own folder. */
  baseline: FolderBaseline;
  /** What its tool calls were given (commands, paths), as text: a worktree or branch they name is its own. */
  commands: readonly string[];
}

/** How far back a run's tool calls are read (as for its evidence of work). */
const COMMAND_EVENTS = 5000;

/** Where Claude Code makes its own worktrees (its EnterWorktree tool, a subagent's `isolation: "worktree"`). */
const CLAUDE_WORKTREES = `${sep}.claude${sep}worktrees${sep}`;

/** Branches this app makes itself: runs' own, and work kept. */
const APP_BRANCHES = /^(wg|recover)\//;

/** The run `agentId` as its start noted it (null: no baseline with the repository's worktrees and branches). */
export function strayRun(paths: Pick<ProjectPaths, 'runsDir'>, agentId: string, taskId: string): StrayRun | null {
  const dir = runDir(paths.runsDir, agentId);
  const baseline = readBaseline(runFiles(dir).baseline);
  if (!baseline?.worktrees) return null;
  const total = readRunEvents(dir, agentId, 0, 1).total;
  const events = readRunEvents(dir, agentId, Math.max(0, total - COMMAND_EVENTS), COMMAND_EVENTS).events.map((e) => e.event);
  return { agentId, taskId, baseline, commands: commandTexts(events) };
}

function commandTexts(events: readonly RunEvent[]): string[] {
  return events.flatMap((event) => (event.type === 'tool_use' ? [JSON.stringify(event.input)] : []));
}

/** `path` with its links resolved, as git records worktrees' paths; as given when it cannot be. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether a command names `word` as a word of its own (a branch name, a folder's name), not inside a longer one. */
function named(commands: readonly string[], word: string): boolean {
  const pattern = new RegExp(`(?<![\\w.-])${escaped(word)}(?![\\w.-])`);
  return commands.some((command) => pattern.test(command));
}

/**
 * The worktrees and branches `run` made: new since its start (not in its baseline), none of this app's own (a run's
 * `wg/` branch and worktree, a `recover/` branch, `known`: the worktrees the store records), and its own by what is
 * known of it: inside its folder, under `.claude/worktrees/` (Claude Code's own tools), or named by one of its tool
 * calls (`git worktree add ../x -b x`). One another run or a person made meanwhile is none of its business. A branch
 * checked out in the run's own folder is not one (the merge follows its HEAD: follow-head.ts).
 */
export async function runStrays(repoTop: string, run: StrayRun, known: ReadonlySet<string>): Promise<RunStray[]> {
  const { baseline } = run;
  const before = new Set(baseline.worktrees ?? []);
  const branchesBefore = new Set(baseline.branches ?? []);
  const [worktrees, refs] = await Promise.all([
    listGitWorktrees(repoTop),
    git(repoTop, ['for-each-ref', '--format=%(refname)%00%(objectname)', 'refs/heads/']).then((r) => r.stdout),
  ]);
  // As git names it (git resolves links in the paths it records).
  const folder = realPath(baseline.folder);
  const inFolder = (path: string) => path.startsWith(`${folder}${sep}`);
  const own = (words: string[]) => words.some((word) => word !== '' && named(run.commands, word));
  const strays: RunStray[] = [];
  for (const w of worktrees) {
    if (w.bare || w.prunable || before.has(w.path) || w.path === folder || known.has(w.path)) continue;
    if (w.branch && APP_BRANCHES.test(w.branch)) continue;
    const mine = inFolder(w.path) || w.path.includes(CLAUDE_WORKTREES) || own([w.path, basename(w.path), w.branch ?? '']);
    if (mine) strays.push({ path: w.path, branch: w.branch, head: w.head, locked: w.locked });
  }
  const checkedOut = new Set(worktrees.flatMap((w) => (w.branch ? [w.branch] : [])));
  // Only with the branches of its start to compare: a baseline from before they were noted names none.
  if (baseline.branches === null) return strays;
  for (const line of refs.split('\n')) {
    const [ref = '', head = ''] = line.split('\0');
    const branch = ref.replace(/^refs\/heads\//, '');
    if (!head || branchesBefore.has(branch) || APP_BRANCHES.test(branch) || checkedOut.has(branch)) continue;
    if (own([branch])) strays.push({ path: null, branch, head, locked: false });
  }
  return strays;
}
