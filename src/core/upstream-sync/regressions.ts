import type { JsonValue } from '../../shared/task';
import { mergeLogs, type Line } from './task-merge';

/*
 * What a version of graph.jsonl may not do to the graph, because no upstream command does it; a
 * version that does is not upstream at work but something else: a file read half written, an older
 * version written back (git checkout), or a writer that skipped graph.lock and renamed its copy of
 * an older version over a newer one. Such a version is refused as a whole (graph-sync.ts).
 *   - Removing a task that is not finished. Upstream removes tasks in `gc` and `archive`, terminal
 *     ones only, and in `reset`, its own dot-named meta tasks. Not even one other removal is taken:
 *     a save from a copy read a moment before a task was added lacks just that task, and looks
 *     exactly like a line deleted by hand (a person abandons a task, then `wg gc` removes it).
 *   - Moving a task backwards: to a version older than the one last synced (upstream stamps
 *     `last_interaction_at` with the time of every change it makes, this app too when it writes a
 *     change, so it never goes back), from done to in progress (no upstream command does; a reopen
 *     goes to open and clears the claim), onto a run that has ended here, or from done to not done
 *     without a sign of anything done to it since (a later stamp, or a log entry: a reopen logs).
 */

const TERMINAL = new Set(['done', 'failed', 'abandoned']);
/** Old spellings upstream still reads (as the import does: jsonl-format.ts). */
const STATUS_ALIASES: Record<string, string> = { 'pending-review': 'done', in_progress: 'in-progress', todo: 'open' };

function statusOf(line: Line | null | undefined): string {
  const status = line?.status;
  if (typeof status !== 'string') return 'open';
  return STATUS_ALIASES[status] ?? status;
}

/** Whether a removal is one upstream makes: of a finished task (gc, archive) or of its meta tasks (reset). */
export function removalExplained(id: string, theirsBase: Line | null, ours: Line | null): boolean {
  if (id.startsWith('.')) return true;
  return TERMINAL.has(statusOf(theirsBase)) && (ours === null || TERMINAL.has(statusOf(ours)));
}

function timeOf(value: JsonValue | undefined): number {
  return typeof value === 'string' ? Date.parse(value) : Number.NaN;
}

/**
 * When the line says its task last changed. Upstream reads a line without `last_interaction_at` as
 * changed at its `created_at` (and writes it so), so a stale copy of a line from before this app
 * stamped it is older than the version it replaces, not a change of its own.
 */
function stampOf(line: Line): number {
  return timeOf(line.last_interaction_at ?? line.created_at);
}

/** The line was stamped later than the base: upstream's wg changed it since (a stale copy's line never is). */
export function stampedLater(theirs: Line, theirsBase: Line): boolean {
  const [now, then] = [stampOf(theirs), stampOf(theirsBase)];
  return !Number.isNaN(now) && !Number.isNaN(then) && now > then;
}

/**
 * The line was changed since the base without a new stamp: by hand (an editor keeps the stamp it read). A stale
 * copy's line is the base itself, or older (an earlier stamp); only a change made on the line as it stands now keeps
 * its stamp and differs, so it is this version's own edit, not a stale field.
 */
export function editedByHand(theirs: Line, theirsBase: Line): boolean {
  const [now, then] = [stampOf(theirs), stampOf(theirsBase)];
  return (now === then || (Number.isNaN(now) && Number.isNaN(then))) && JSON.stringify(theirs) !== JSON.stringify(theirsBase);
}

/** The line shows something done to the task since the base: a later interaction stamp, or a log entry the base lacks. */
function touchedSince(theirs: Line, theirsBase: Line): boolean {
  const now = stampOf(theirs);
  const then = stampOf(theirsBase);
  if (!Number.isNaN(now) && (Number.isNaN(then) || now > then)) return true;
  const before = Array.isArray(theirsBase.log) ? theirsBase.log.length : 0;
  return mergeLogs(theirsBase.log, theirs.log).length > before;
}

/** How backwardsMove words a line older than the one last synced. */
const OLDER_VERSION = 'back to an older version of it';

export interface TaskSides {
  theirs: Line;
  theirsBase: Line;
  ours: Line;
}

/**
 * How the line moves the task backwards, in a few words; null when it does not. `olderTaken`: a line older than the
 * base is the person's choice (finishing a merge of graph.jsonl), so only what it does to the task's state is asked.
 */
export function backwardsMove(sides: TaskSides, runEnded: (agent: string) => boolean, olderTaken = false): string | null {
  const { theirs, theirsBase, ours } = sides;
  if (!olderTaken && stampOf(theirs) < stampOf(theirsBase))
    return `${OLDER_VERSION} (last changed ${theirs.last_interaction_at ?? theirs.created_at})`;
  const to = statusOf(theirs);
  const assigned = typeof theirs.assigned === 'string' ? theirs.assigned : null;
  if (to === statusOf(theirsBase) && assigned === (theirsBase.assigned ?? null)) return null;
  const wasDone = statusOf(theirsBase) === 'done';
  if (wasDone && to === 'in-progress') return 'from done back to in-progress';
  const oursHolds = statusOf(ours) === 'in-progress' && ours.assigned === assigned;
  if (to === 'in-progress' && assigned !== null && !oursHolds && runEnded(assigned)) return `back onto ${assigned}, a run that has ended`;
  if (wasDone && statusOf(ours) === 'done' && !TERMINAL.has(to) && !touchedSince(theirs, theirsBase)) return `from done back to ${to}`;
  return null;
}
