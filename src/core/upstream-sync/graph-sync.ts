import { sql } from 'kysely';
import { someAsync } from '../../shared/async-arrays';
import { basename } from 'node:path';
import type { Task } from '../../shared/task';
import type { Store } from '../store/store';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, findTaskState, listTasks, taskFromRow, tasksChangedSince } from '../store/task-reads';
import { appendLog, touch } from '../store/task-writes';
import {
  keepRefusedGraphFile,
  REFUSED_GRAPH_FILE,
  sameStamp,
  statGraphFile,
  writeGraphFile,
  type FileStamp,
  type GraphFile,
  QUIET_MS,
} from './graph-file';
import { beforeCutLine, GraphFileError, lineHash, parseGraphLines, tasksById, writeGraphLines, type FileNode } from './graph-lines';
import { type HandEdit, handEditOnEarlier } from './hand-edits';
import { keepOtherNodes } from './other-nodes';
import { renamedIn } from './renamed-tasks';
import { lockGraph, lockGraphSync, type GraphLock } from './graph-lock';
import { adoptImport } from './import-bases';
import { ArchivedTasks } from './archived-tasks';
import { dependencyNames, oursLines } from './ours-lines';
import { backwardsMove, editedByHand, removalExplained, stampedLater } from './regressions';
import { withKeptTasks } from './kept-tasks';
import { applyToStore, type StoreEdit } from './store-apply';
import {
  baseHashes,
  baseOursText,
  conflicted,
  ensureSyncRecords,
  keepRemovedTask,
  keptTask,
  markRemoved,
  readBase,
  readState,
  touchedAt,
  wasRemoved,
  writeBase,
  keepEarlierLine,
  stampText,
  writeState,
  type BaseRow,
} from './sync-records';
import { mergeLogs, mergeTask, sameJson, type Line } from './task-merge';
import { keepAboveUpstreamAgents } from './upstream-agents';
import { type Context, MOVED, NEEDS_LOCK, type SettleLoop, settleSteps, UNSETTLED, type Verdict } from './settle-loop';
import { NOTHING, type SyncMode, type SyncOutcome } from './sync-outcome';

/*
 * One graph, two tools: this app's graph.db and upstream's graph.jsonl kept the same. A sync reads
 * graph.jsonl, then inside the store's write transaction merges each task that changed on either
 * side since the last sync (task-merge.ts), puts graph.jsonl's changes into the store and records the
 * merged versions as the next bases. When this app's side changed something graph.jsonl must get, it
 * does all that again holding upstream's lock (graph.lock) first, then the store's (always in that
 * order, so two of this app's processes never wait on each other crosswise; upstream never takes the
 * store's), and writes graph.jsonl as upstream does before either lock is let go. Reading needs no
 * lock, so a sync that only takes in upstream's changes, or a look that finds nothing, never makes
 * upstream's wg wait. Who writes graph.jsonl: the process that made the change (a `wg` command after
 * its change; the daemon or the window after their own), and the daemon or window take in upstream's
 * as it writes them (sync-service.ts). A command that only reads syncs in `read` mode: it takes
 * graph.jsonl's changes in and never writes the file.
 *
 * A read is acted on only once the file is whole and has stood still. Upstream replaces the file by
 * a rename, so each of its versions is whole; an editor, git or `cat >` write it in place, and a read
 * during their save sees the start of it: an empty file, a last line cut, or lines missing at the
 * end, which read as tasks removed. A prefix never changes a line it has, so a read that only adds or
 * changes tasks is safe to take in at once; but a version written in place (the last sync's inode, its text
 * changed) is neither written over nor has tasks removed for it until it has stood still QUIET_MS: a writer
 * in place may pause part way with its descriptor open, and a rename meanwhile would send the rest of its save
 * to the file replaced (saveLeftMs). No version has tasks removed for it before it has stood still, whatever its
 * inode: a file deleted and written anew in parts lacks its last lines half way too. A read that is empty, cut,
 * or would remove a task or move one backwards is read again SETTLE_MS later and acted on only if both reads are
 * the same version (file and text). Even then a cut last line is never taken in, nor an empty file or one lacking unfinished
 * tasks until it has stood QUIET_MS (a save may pause longer than a settle; its end is another
 * change, which the watcher brings); one empty that long is upstream's gc of a finished graph if every
 * task it lacks is finished, else refused. A whole version that removes an unfinished task or moves one
 * backwards is not upstream at work (regressions.ts) and is refused: one line says so, the version is
 * kept in graph.jsonl.refused, and graph.jsonl is rewritten from graph.db, taking from that version
 * only what cannot be stale: log entries, tasks graph.db never had, and lines changed after the last sync
 * (stamped later than the line then: upstream at work on top of the refused version; or changed with the stamp
 * they had then: a person's edit by hand). So a writer that skipped graph.lock and renamed its copy of an older version over a newer
 * one loses its own stale fields, never a task, log entry or dependency another tool committed meanwhile.
 * The file is read outside the store's transaction (a settle must not hold it) and looked at again
 * inside it: a version another process replaced meanwhile, with its bases, is read again, not
 * compared with bases newer than itself.
 */

/**
 * A version taken in that holds a task on two lines (a merge that kept both sides' line) says so, as upstream's
 * load_graph warns of a duplicate id: the later line is the task, as upstream takes it, and the next write keeps it
 * alone. The outcome unchanged otherwise.
 */
function saidTwice(verdict: Verdict, nodes: readonly FileNode[]): Verdict {
  if (typeof verdict === 'symbol') return verdict;
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const node of nodes) {
    if (!node.task) continue;
    if (seen.has(node.id)) twice.add(node.id);
    seen.add(node.id);
  }
  if (twice.size === 0) return verdict;
  const ids = [...twice];
  const which = ids.length === 1 ? `task ${ids[0]} on two lines` : `${ids.length} tasks on two lines (${someOf(ids)})`;
  const notice = `graph.jsonl holds ${which}: the later line is taken, as upstream's wg takes it`;
  return { ...verdict, notice: verdict.notice ? `${verdict.notice}; ${notice}` : notice };
}

/** One task's versions: graph.jsonl's line now, the bases of the last sync, this app's line now. */
interface Sides {
  node: FileNode | undefined;
  base: BaseRow | null;
  ours: Line | null;
}

interface Regressions {
  /** Tasks the version lacks that graph.db has. */
  removed: number;
  /** Of those, the ones no upstream command removes (regressions.ts). */
  unexplained: number;
  backwards: Array<{ id: string; how: string }>;
  /** Why the version is refused, or null. */
  refusal: string | null;
}

/** Times a line carries: for tasks never synced, the side whose line is newer is taken as the later writer. */
function lineTime(line: Line | null): number {
  if (!line) return 0;
  const times: unknown[] = [line.last_interaction_at, line.completed_at, line.started_at, line.created_at];
  if (Array.isArray(line.log)) for (const e of line.log) if (e && typeof e === 'object' && !Array.isArray(e)) times.push(e.timestamp);
  return Math.max(0, ...times.map((t) => (typeof t === 'string' ? Date.parse(t) : Number.NaN)).filter((t) => !Number.isNaN(t)));
}

/** A line that is not graph.jsonl's text now (graph.db's version of it, during a rewrite). */
function nodeOf(id: string, line: Line, raw = JSON.stringify(line)): FileNode {
  return { id, task: true, raw, hash: lineHash(raw), line };
}

/**
 * The stamp of a change made here: now, or just after the line's own stamp where that is ahead of this machine's clock
 * (written on a machine whose clock runs ahead, a teammate's through git). A line's stamp never goes back, so a copy
 * of the version before this change is always told older (regressions.ts): a done stamped before the open line
 * it replaced would let `git checkout -- .wg/graph.jsonl` reopen the task, which would run again.
 */
function stampAfter(now: string, ...lines: Array<Line | null | undefined>): string {
  const clock = Date.parse(now);
  let at = clock;
  for (const line of lines) {
    const stamp = line ? stampText(line) : null;
    const time = stamp === null ? Number.NaN : Date.parse(stamp);
    if (time >= at) at = time + 1;
  }
  return at === clock ? now : new Date(at).toISOString();
}

/**
 * How long a version of graph.jsonl written in place (its inode the last sync's, its text not) may still be a save
 * under way: until it has stood still QUIET_MS, else 0. A writer in place (an editor, `cat >`) may pause part way
 * for longer than a settle, its descriptor still open: a version renamed over the file meanwhile takes the rest of
 * its save with the old inode, and a read lacking the tasks still to come would remove them. A version put in
 * place by a rename (upstream's wg, this app, git) is whole: its inode is new.
 */
function saveLeftMs(file: GraphFile, synced: FileStamp | null): number {
  if (synced === null || file.stamp.ino !== synced.ino || sameStamp(file.stamp, synced)) return 0;
  // The inode's number used again by a new file (renamed in after two replacements): not the same file.
  if (file.stamp.birthMs && synced.birthMs && file.stamp.birthMs !== synced.birthMs) return 0;
  return Math.max(0, QUIET_MS - (Date.now() - file.stamp.mtimeMs));
}

function someOf(ids: string[]): string {
  return ids.length > 3 ? `${ids.slice(0, 3).join(', ')}, …` : ids.join(', ');
}

/**
 * A version saved a moment ago that this sync would remove tasks for (in place or not), refuse or write over (in
 * place, saveLeftMs):
 * nothing is done with it yet, and it is looked at again once it has stood still. graph.db keeps what it has.
 */
function savedInPlace(what: string, leftMs: number, context: Context, inPlace = true): SyncOutcome {
  return {
    ...NOTHING,
    notice: `graph.jsonl is not taken in or written yet: it was saved${inPlace ? ' in place' : ''} a moment ago and ${what}, so the save may still be under way; it is, once it has stood still ${QUIET_MS / 1000} s`,
    againInMs: context.mode === 'full' ? leftMs : undefined,
  };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The revision of the last removal of tasks here (`wg gc`, `wg archive`) or by a sync (store/task-removal.ts). */
async function removedRev(core: StoreCore): Promise<number> {
  return (await core.get(core.build.selectFrom('meta').select('value').where('key', '=', 'tasks_removed_rev')))?.value ?? 0;
}

/** Tasks synced before that this app's graph no longer has: removed here, so gone from graph.jsonl too (unless changed there since). */
async function removedHere(core: StoreCore): Promise<string[]> {
  return (
    // The sync's own table (SQLite projects only) is not among the builder's tables.
    (
      await core.all(sql<{ id: string }>`SELECT id FROM upstream_sync_lines WHERE ours IS NOT NULL AND id NOT IN (SELECT id FROM tasks)`)
    ).map((r) => r.id)
  );
}

export class GraphSync {
  /** Revisions up to this one were looked at and held nothing for graph.jsonl (this process's memory only). */
  private checkedRev = 0;
  /** The last text of graph.jsonl parsed. */
  private parsed: { text: string; nodes: FileNode[] } | null = null;

  private constructor(
    private readonly store: Store,
    private readonly wgDir: string,
  ) {}

  /** The sync of `store` with the graph.jsonl in `wgDir`, its records made ready. */
  static async open(store: Store, wgDir: string): Promise<GraphSync> {
    await ensureSyncRecords(store.core);
    await adoptImport(store.core);
    await keepAboveUpstreamAgents(store.core, wgDir);
    return new GraphSync(store, wgDir);
  }

  /** Whether graph.jsonl or this app's graph changed since the last sync: store reads and one stat, no lock. */
  async pending(): Promise<boolean> {
    const core = this.store.core;
    const state = await readState(core);
    if (state.rev === null) return true;
    const stamp = statGraphFile(this.wgDir);
    // Gone since the last sync: the sync says so (gone()).
    if (stamp === null) return true;
    if (!sameStamp(stamp, state.stamp)) return true;
    const since = Math.max(state.rev, this.checkedRev);
    const rev = await core.currentRev();
    if (rev <= since) return false;
    if ((await removedRev(core)) > state.rev) return true;
    const tasks = await tasksChangedSince(core, since);
    const lines = await oursLines(core, tasks);
    const changed = await someAsync(tasks, async (task) => JSON.stringify(lines.get(task.id)) !== (await baseOursText(core, task.id)));
    if (!changed) this.checkedRev = rev;
    return changed;
  }

  /**
   * Syncs now if needed. Upstream's lock is taken, waiting up to `waitMs` with this thread (a `wg`
   * command), only when graph.jsonl is to be written; a read to be settled waits with this thread too.
   */
  async syncNow(waitMs: number, mode: SyncMode = 'full'): Promise<SyncOutcome> {
    const steps = this.steps(mode);
    let lock: GraphLock | undefined;
    for (;;) {
      const next = await steps.next(lock);
      if (next.done) return next.value;
      lock = undefined;
      try {
        if ('sleep' in next.value) sleepSync(next.value.sleep);
        else lock = lockGraphSync(this.wgDir, waitMs);
      } catch (error) {
        await steps.return(NOTHING);
        throw error;
      }
    }
  }

  /** The same without blocking the event loop (the daemon, the window); `signal` ends a wait (closing). */
  async sync(waitMs: number, signal?: AbortSignal, mode: SyncMode = 'full'): Promise<SyncOutcome> {
    const steps = this.steps(mode);
    let lock: GraphLock | undefined;
    for (;;) {
      const next = await steps.next(lock);
      if (next.done) return next.value;
      lock = undefined;
      try {
        if ('sleep' in next.value) await new Promise((resolve) => setTimeout(resolve, (next.value as { sleep: number }).sleep));
        else lock = await lockGraph(this.wgDir, waitMs, signal);
      } catch (error) {
        await steps.return(NOTHING);
        throw error;
      }
      if (signal?.aborted && lock === undefined) {
        await steps.return(NOTHING);
        return NOTHING;
      }
    }
  }

  /**
   * graph.jsonl not there. Before the first sync, nothing to say; after it, the file went (deleted, or a git checkout
   * of a branch without it), and the sync stops until it is back: said, not stopped without a word. Not written back by this app: on a branch without the file, that would leave an untracked one.
   */
  private async gone(): Promise<SyncOutcome> {
    if ((await readState(this.store.core)).rev === null) return NOTHING;
    const dir = basename(this.wgDir);
    return {
      ...NOTHING,
      notice: `graph.jsonl is gone from ${dir}/: upstream's wg finds no graph there, and this app's changes wait in graph.db until it is back (git checkout -- ${dir}/graph.jsonl; or wg export --upstream --out graph.jsonl, then move that file into ${dir}/)`,
    };
  }

  /** The sync as steps its driver performs (settle-loop.ts), each look through this sync's merge. */
  private steps(mode: SyncMode) {
    const loop: SettleLoop = {
      store: this.store,
      wgDir: this.wgDir,
      pending: () => this.pending(),
      gone: () => this.gone(),
      merge: (file, context) => this.merge(file, context),
    };
    return settleSteps(loop, mode);
  }

  /**
   * One look inside the store's write transaction: reads both sides, then merges and applies, or says
   * what is needed first (UNSETTLED, NEEDS_LOCK, MOVED: nothing done).
   */
  private async merge(file: GraphFile, context: Context): Promise<Verdict> {
    const core = this.store.core;
    // Read before this transaction began: another process may have written the file since, and its
    // bases with it, which the version read would look older than.
    if (!sameStamp(statGraphFile(this.wgDir), file.stamp)) return MOVED;
    const hashes = await baseHashes(core);
    const state = await readState(core);
    const whole = beforeCutLine(file.text);
    let nodes: FileNode[];
    try {
      // Read as text, a byte that is not UTF-8 would become U+FFFD and be written back so: refused as a broken line is.
      if (file.notTextLine !== null) throw new GraphFileError(`line ${file.notTextLine} of graph.jsonl is not UTF-8 text`);
      nodes = this.nodesOf(whole ?? file.text, hashes);
    } catch (error) {
      // A broken line may be a save under way (written in place over the old text): it must stand still to be said.
      if (error instanceof GraphFileError && !context.settled) return UNSETTLED;
      throw error;
    }
    const theirs = tasksById(nodes);
    const knownInFile = [...hashes.values()].some((hash) => hash !== null);
    if (whole !== null || (theirs.size === 0 && knownInFile)) {
      if (!context.settled) return UNSETTLED;
      return this.notWhole(file, nodes, whole !== null, context);
    }
    const candidates = await this.candidates(theirs, hashes, state.rev);
    if (candidates.length === 0 && sameStamp(file.stamp, state.stamp)) return NOTHING;
    const sides = await this.sidesOf(candidates, theirs);
    const found = await this.regressions(sides, hashes);
    if ((found.removed > 0 || found.backwards.length > 0) && !context.settled) return UNSETTLED;
    const savingMs = saveLeftMs(file, state.stamp);
    if (found.removed > 0 && savingMs > 0) return savedInPlace(`lacks ${found.removed} task(s) it had`, savingMs, context);
    if (found.refusal !== null) {
      const quietFor = Date.now() - file.stamp.mtimeMs;
      // Lacking unfinished tasks is what a save in place looks like half way: refused only once it has stood still.
      if (found.unexplained > 0 && quietFor < QUIET_MS) {
        return {
          ...NOTHING,
          notice: `graph.jsonl is not taken in yet: it ${found.refusal} (a save under way?); it is looked at again once it has stood still ${QUIET_MS / 1000} s`,
          againInMs: context.mode === 'full' ? QUIET_MS - quietFor : undefined,
        };
      }
      if (savingMs > 0) return savedInPlace(found.refusal, savingMs, context);
      return this.refuse(file, nodes, found, context);
    }
    // Finished tasks are removed only for a version that has stood still, whatever its inode: a file made anew and
    // written in parts (`rm` then `cmd >`, an editor that deletes before it writes) lacks, half way, the tasks at its
    // end, which are the ones finished last; upstream's gc, put in place by a rename, waits those seconds.
    const removingMs = found.removed > 0 ? QUIET_MS - (Date.now() - file.stamp.mtimeMs) : 0;
    if (removingMs > 0) return savedInPlace(`lacks ${found.removed} task(s) it had`, removingMs, context, false);
    return saidTwice(await this.apply(file, nodes, sides, context, savingMs), nodes);
  }

  /**
   * An empty file or one whose last line is cut (it has stood still): not taken in. One that stays so
   * for QUIET_MS is no save under way: a cut one is a save that stopped part way (upstream's wg
   * cannot read it), written over from graph.db; an empty one is upstream's gc or refused.
   */
  private async notWhole(file: GraphFile, nodes: FileNode[], cut: boolean, context: Context): Promise<Verdict> {
    const quietFor = Date.now() - file.stamp.mtimeMs;
    const againInMs = context.mode === 'full' ? QUIET_MS - quietFor : undefined;
    if (cut) {
      const line = `its last line (line ${file.text.split('\n').length}) is cut`;
      if (quietFor < QUIET_MS)
        return { ...NOTHING, notice: `graph.jsonl is not taken in: ${line}; it is once the file is whole`, againInMs };
      const what = `graph.jsonl was not taken in: ${line}, and has stood so for ${QUIET_MS / 1000} s (a save that stopped part way?)`;
      if (context.mode === 'read')
        return { ...NOTHING, notice: `${what}; graph.db is left as it is and graph.jsonl is rewritten from it at the next change` };
      if (!context.locked) return NEEDS_LOCK;
      return this.rewrite(file, nodes, [], `${what}; graph.jsonl was rewritten from graph.db, without the cut line`);
    }
    if (quietFor < QUIET_MS) {
      return {
        ...NOTHING,
        notice: 'graph.jsonl is not taken in: it is empty (a save under way?); graph.db is left as it is',
        againInMs,
      };
    }
    // Empty for good: what upstream's gc writes when every task was finished, or a file emptied by hand.
    const hashes = await baseHashes(this.store.core);
    const sides = await this.sidesOf(
      [...hashes].filter(([, hash]) => hash !== null).map(([id]) => id),
      new Map(),
    );
    const found = await this.regressions(sides, hashes);
    if (found.unexplained === 0 && found.backwards.length === 0) return this.apply(file, nodes, sides, context);
    return this.refuse(file, nodes, { ...found, refusal: `is empty, without ${found.unexplained} unfinished task(s)` }, context);
  }

  /** A version of graph.jsonl no upstream command writes: refused, and graph.jsonl rewritten from graph.db. */
  private async refuse(file: GraphFile, nodes: FileNode[], found: Regressions, context: Context): Promise<Verdict> {
    const what = `graph.jsonl was not taken in: it ${found.refusal} (no upstream command does that: an older version written back, or a stale copy saved over a newer one?; to remove a task, abandon it, then gc)`;
    if (context.mode === 'read')
      return { ...NOTHING, notice: `${what}; graph.db is left as it is and graph.jsonl is rewritten from it at the next change` };
    if (!context.locked) return NEEDS_LOCK;
    return this.rewrite(file, nodes, found.backwards, `${what}; graph.jsonl was rewritten from graph.db`);
  }

  /** Tasks changed on either side since the last sync (every task, the first time), and the tasks they depend on. */
  private async candidates(theirs: Map<string, FileNode>, hashes: Map<string, string | null>, syncedRev: number | null): Promise<string[]> {
    const core = this.store.core;
    if (syncedRev === null) return [...new Set([...(await listTasks(core)).map((t) => t.id), ...theirs.keys()])];
    const ids = new Set<string>();
    // A dependency gained or lost changes the other end's line too (its `before`).
    const withDependencies = (id: string, now: Line | null | undefined, then: Line | null | undefined) => {
      ids.add(id);
      const [a, b] = [new Set(dependencyNames(now)), new Set(dependencyNames(then))];
      for (const dep of a) if (!b.has(dep)) ids.add(dep);
      for (const dep of b) if (!a.has(dep)) ids.add(dep);
    };
    for (const [id, node] of theirs) if (hashes.get(id) !== node.hash) withDependencies(id, node.line, (await readBase(core, id))?.theirs);
    for (const [id, hash] of hashes) if (hash !== null && !theirs.has(id)) ids.add(id);
    const changed = await tasksChangedSince(core, syncedRev);
    const lines = await oursLines(core, changed);
    for (const task of changed) {
      const line = lines.get(task.id) as Line;
      const base = await baseOursText(core, task.id);
      if (JSON.stringify(line) !== base) withDependencies(task.id, line, typeof base === 'string' ? (JSON.parse(base) as Line) : null);
    }
    if ((await removedRev(core)) > syncedRev) for (const id of await removedHere(core)) ids.add(id);
    return [...ids];
  }

  private async sidesOf(ids: string[], theirs: Map<string, FileNode>): Promise<Map<string, Sides>> {
    const core = this.store.core;
    const ours = await oursLines(core, await this.tasksOf(ids));
    return new Map(
      await Promise.all(
        ids.map(async (id) => [id, { node: theirs.get(id), base: await readBase(core, id), ours: ours.get(id) ?? null }] as const),
      ),
    );
  }

  /** What the version would do that upstream never does (regressions.ts). */
  private async regressions(sides: Map<string, Sides>, hashes: Map<string, string | null>): Promise<Regressions> {
    const resolving = await conflicted(this.store.core);
    const unexplained: string[] = [];
    let removed = 0;
    const backwards: Regressions['backwards'] = [];
    const runEnded = await this.runsEnded();
    const archived = new ArchivedTasks(this.wgDir);
    for (const [id, { node, base, ours }] of sides) {
      // A task removed since (gc, archive, here or upstream), back in this version: an older copy of its line (git
      // checkout, a stash) must not bring a finished task back as one to run again, nor an archived one back at all.
      if (node && !base && !ours && (await wasRemoved(this.store.core, id))) {
        const how = archived.backFromArchive(id, node.line) ?? (await this.backFromRemoval(id, node.line, runEnded));
        if (how) backwards.push({ id, how });
        continue;
      }
      const theirsBase = base?.theirs ?? null;
      if (!theirsBase || !ours) continue;
      if (!node) {
        removed++;
        if (!removalExplained(id, theirsBase, ours)) unexplained.push(id);
      } else if (hashes.get(id) !== node.hash) {
        // Finishing a merge, the person kept this older line of the task (as the sync asked them to choose): theirs, but
        // not the state its age brings back (done back to open or in progress, onto a run that has ended): else
        // git checkout --theirs puts a done task back in progress, and the next coordinator runs it again.
        const how = backwardsMove({ theirs: node.line, theirsBase, ours }, runEnded, resolving);
        if (how) backwards.push({ id, how });
      }
    }
    const reasons: string[] = [];
    if (unexplained.length > 0) {
      const tasks = unexplained.length === 1 ? 'an unfinished task' : `${unexplained.length} unfinished tasks`;
      reasons.push(`removes ${tasks} (${someOf(unexplained)})`);
    }
    for (const { id, how } of backwards) reasons.push(`moves ${id} ${how}`);
    return { removed, unexplained: unexplained.length, backwards, refusal: reasons.length > 0 ? reasons.join('; ') : null };
  }

  /**
   * How a line of a removed task moves it backwards from the task as it was removed (kept-tasks.ts), or null: not
   * when nothing of it was kept, nor for another task of that id (made anew after the removal: another created_at).
   */
  private async backFromRemoval(id: string, line: Line, runEnded: (agent: string) => boolean): Promise<string | null> {
    const kept = await keptTask(this.store.core, id);
    if (!kept || !sameJson(kept.theirs.created_at, line.created_at)) return null;
    return backwardsMove({ theirs: line, theirsBase: kept.theirs, ours: kept.task }, runEnded);
  }

  /**
   * The merge applied: graph.jsonl's changes into the store, this app's into graph.jsonl (not in `read` mode).
   * `savingMs`: the version may be a save in place under way for that long yet (saveLeftMs), so it is not written over.
   */
  private async apply(file: GraphFile, nodes: FileNode[], sides: Map<string, Sides>, context: Context, savingMs = 0): Promise<Verdict> {
    const core = this.store.core;
    let plan = await this.plan(sides, file.stamp);
    let ids = [...sides.keys()];
    // Reading only: the tasks whose merge would change graph.jsonl wait for a sync that writes.
    const held = context.mode === 'read' ? new Set(plan.rewritten) : new Set<string>();
    if (held.size > 0) {
      ids = ids.filter((id) => !held.has(id));
      plan = { ...plan, rewritten: new Set(), edits: plan.edits.filter((e) => !held.has(e.id)) };
      if (ids.length === 0) return NOTHING;
    }
    const writesFile = plan.rewritten.size > 0;
    if (writesFile && savingMs > 0) return savedInPlace('graph.db has changes for it', savingMs, context);
    if (writesFile && !context.locked) return NEEDS_LOCK;
    const removals = plan.edits.filter((edit) => edit.change.kind === 'remove').map((edit) => edit.id);
    const removed =
      removals.length > 0
        ? removedLine(await Promise.all(removals.map(async (id) => `${id} (${(await findTaskState(core, id))?.status ?? 'gone'})`)))
        : undefined;
    return core.write(async (rev) => {
      await applyToStore(core, await withKeptTasks(core, plan.edits), rev);
      await keepOtherNodes(core, nodes);
      const after = await oursLines(core, await this.tasksOf(ids));
      const merged = new Map<string, Line | null>();
      const added: Array<[string, Line]> = [];
      for (const id of plan.rewritten) {
        const line = plan.results.get(id) ?? null;
        if (sides.get(id)?.node) merged.set(id, line);
        else if (line) added.push([id, line]);
      }
      const stamp = writesFile ? writeGraphFile(this.wgDir, writeGraphLines(nodes, merged, added)) : file.stamp;
      await this.recordBases(ids, sides, plan, after);
      // With tasks held back, the revision and the file's version stay: graph.jsonl still has changes to take
      // in, and a sync that writes (the daemon's, at the file's next change or its own) must see them pending.
      if (held.size === 0) await writeState(core, { rev, stamp });
      return { fromFile: plan.edits.length, wroteFile: writesFile, ...(removed ? { removed } : {}) };
    });
  }

  /**
   * graph.jsonl written whole from graph.db, its present version refused: each task as graph.db has it,
   * merged with graph.jsonl's version at the last sync, plus what cannot be stale in the refused one
   * (log entries, and tasks graph.db never had). Each task it moved backwards gets a line in its log.
   */
  private async rewrite(file: GraphFile, nodes: FileNode[], backwards: Regressions['backwards'], notice: string): Promise<Verdict> {
    const core = this.store.core;
    return core.write(async (rev) => {
      // Finishing a merge of graph.jsonl: an older line the person kept is theirs, unless it sets its task back.
      const resolving = await conflicted(core);
      const present = tasksById(nodes);
      const handEdits = new Map<string, HandEdit>();
      for (const { id, how } of backwards) {
        // A removed task the version brought back has no log here to say it in: the refusal's line does.
        if (!(await findTaskRow(core, id))) continue;
        const node = present.get(id);
        const base = (await readBase(core, id))?.theirs;
        let hand = node && base && stampedLater(base, node.line) ? await handEditOnEarlier(core, id, node.line, base) : null;
        // An edit by hand that itself moves the task backwards (its status set back) is refused as on a line as it stands.
        const ours = hand ? (await oursLines(core, await this.tasksOf([id]))).get(id) : undefined;
        if (hand && base && ours && backwardsMove({ theirs: hand.line, theirsBase: base, ours }, await this.runsEnded()) !== null)
          hand = null;
        if (hand) handEdits.set(id, hand);
        const said = hand
          ? `graph.jsonl moved this task ${how}, with ${hand.fields.join(', ')} changed by hand on it: ${hand.fields.length === 1 ? 'that change is' : 'those changes are'} taken, the rest of that version refused`
          : `graph.jsonl moved this task ${how}; refused, the task stays as it was`;
        await appendLog(core, id, 'sync', said);
        await touch(core, id, rev);
      }
      const storeIds = (await listTasks(core)).map((t) => t.id);
      const inStore = new Set(storeIds);
      const hashes = await baseHashes(core);
      const ids = [...new Set([...storeIds, ...[...hashes].filter(([, h]) => h !== null).map(([id]) => id), ...present.keys()])];
      const theirs = new Map<string, FileNode>();
      const movedBack = new Set(backwards.map((b) => b.id));
      const renamed = await renamedIn(core, present, inStore);
      // What of the refused version is taken all the same, for the notice to say.
      const taken: string[] = [];
      const byHand: string[] = [];
      for (const id of ids) {
        const base = await readBase(core, id);
        const node = present.get(id);
        const hand = handEdits.get(id);
        if (hand) {
          // A person's edit on an older line: only the fields they changed, on the line as it stands.
          theirs.set(id, nodeOf(id, hand.line));
          byHand.push(`${id} (${hand.fields.join(', ')})`);
        } else if (
          node &&
          base?.theirs &&
          !movedBack.has(id) &&
          (stampedLater(node.line, base.theirs) || editedByHand(node.line, base.theirs) || resolving)
        ) {
          // Upstream changed this line after the last sync (its wg stamps each change), or a person by hand on the line
          // as it stood: no stale copy's, so merged.
          theirs.set(id, node);
          if (base.theirsText !== node.raw) taken.push(id);
        } else if (base?.theirs && base.theirsText !== null) {
          const log = node ? mergeLogs(base.theirs.log, node.line.log) : [];
          const had = Array.isArray(base.theirs.log) ? base.theirs.log.length : 0;
          theirs.set(id, log.length > had ? nodeOf(id, { ...base.theirs, log }) : nodeOf(id, base.theirs, base.theirsText));
        } else if (node && !renamed.has(id) && (inStore.has(id) || !(await wasRemoved(core, id)))) {
          theirs.set(id, node);
          if (!inStore.has(id)) taken.push(id);
        }
      }
      const sides = await this.sidesOf(ids, theirs);
      const plan = await this.plan(sides, file.stamp);
      await applyToStore(core, plan.edits, rev);
      const after = await oursLines(core, await this.tasksOf(ids));
      const lines = new Map<string, string>();
      for (const id of ids) {
        const line = plan.results.get(id) ?? null;
        if (line !== null) lines.set(id, plan.rewritten.has(id) ? JSON.stringify(line) : (theirs.get(id)?.raw ?? JSON.stringify(line)));
      }
      // The file's order kept; then tasks it lacks, in graph.db's order. Upstream's other nodes (resources) as graph.db
      // has them from the last version taken in (the refused one's may be as stale as its tasks), and new ones kept.
      const others = new Map(
        (await core.all(core.build.selectFrom('other_nodes').select(['id', 'node']).orderBy('seq'))).map((r) => [r.id, r.node]),
      );
      const out: string[] = [];
      const last = new Map<string, number>();
      nodes.forEach((n, i) => {
        if (n.task) last.set(n.id, i);
      });
      const written = new Set<string>();
      nodes.forEach((n, i) => {
        if (!n.task) {
          out.push(others.get(n.id) ?? n.raw);
          written.add(n.id);
        } else if (last.get(n.id) === i && lines.has(n.id)) {
          out.push(lines.get(n.id) as string);
          written.add(n.id);
        }
      });
      for (const [id, text] of lines) if (!written.has(id)) out.push(text);
      for (const [id, node] of others) if (!written.has(id)) out.push(node);
      const kept = file.text.trim() !== '';
      if (kept) keepRefusedGraphFile(this.wgDir, file.text);
      const stamp = writeGraphFile(this.wgDir, out.map((l) => `${l}\n`).join(''));
      await this.recordBases(ids, sides, plan, after, lines);
      await writeState(core, { rev, stamp });
      const said = [
        notice,
        ...[...renamed].map(([id, was]) => `it renames ${was} to ${id}, and a task's id does not change: ${id} was not added`),
        ...(taken.length > 0 ? [`taken from it all the same, as no stale copy has them: ${someOf(taken)}`] : []),
        ...(byHand.length > 0 ? [`what was changed by hand on its older lines is taken: ${someOf(byHand)}`] : []),
        ...(kept ? [`the version refused is kept in ${REFUSED_GRAPH_FILE}`] : []),
      ];
      return { fromFile: plan.edits.length, wroteFile: true, notice: said.join('; ') };
    });
  }

  /** Each task's bases after the sync: graph.jsonl's line as written (its text), this app's line. */
  private async recordBases(
    ids: string[],
    sides: Map<string, Sides>,
    plan: { results: Map<string, Line | null>; rewritten: Set<string> },
    after: Map<string, Line>,
    texts?: Map<string, string>,
  ): Promise<void> {
    const core = this.store.core;
    for (const id of ids) {
      const line = plan.results.get(id) ?? null;
      const side = sides.get(id);
      // A line left as graph.jsonl had it is recorded as its very text (the hash of the next look compares with it).
      const text =
        line === null
          ? null
          : (texts?.get(id) ?? (plan.rewritten.has(id) ? JSON.stringify(line) : (side?.node?.raw ?? JSON.stringify(line))));
      const oursAfter = after.get(id);
      // The line it replaces, when stamped otherwise: a copy read before this change and saved later has it (earlierLine).
      const wasStamp = side?.base?.theirs ? stampText(side.base.theirs) : null;
      if (line !== null && wasStamp !== null && side?.base?.theirs && wasStamp !== stampText(line))
        await keepEarlierLine(core, id, wasStamp, side.base.theirs);
      await writeBase(core, id, text === null ? null : { text, hash: lineHash(text) }, oursAfter ? JSON.stringify(oursAfter) : null);
      if (line === null && side?.base) {
        await markRemoved(core, id, true);
        // Removed here (gc, archive): kept as a sync's removal is, so that an older version bringing it back is known.
        const { ours, theirs } = side.base;
        if (ours && theirs && !(await keptTask(core, id))) await keepRemovedTask(core, id, ours, theirs);
      } else if (line !== null && !side?.base) await markRemoved(core, id, false);
    }
  }

  /** The file's nodes; the same text read again (the locked pass after the unlocked one) is not parsed again. */
  private nodesOf(text: string, hashes: Map<string, string | null>): FileNode[] {
    if (this.parsed && this.parsed.text === text) return this.parsed.nodes;
    const known = new Map<string, string>();
    for (const [id, hash] of hashes) if (hash !== null) known.set(hash, id);
    const nodes = parseGraphLines(text, known);
    this.parsed = { text, nodes };
    return nodes;
  }

  /** Each task merged (reads only): the merged lines, which of them graph.jsonl lacks, the store's edits. */
  private async plan(sides: Map<string, Sides>, stamp: FileStamp) {
    const core = this.store.core;
    const rewritten = new Set<string>();
    const edits: StoreEdit[] = [];
    const results = new Map<string, Line | null>();
    const now = core.nowIso();
    for (const [id, { node, base, ours }] of sides) {
      const theirsLine = node?.line ?? null;
      const known = base !== null;
      const theirsChangedTime =
        theirsLine && base?.theirs && theirsLine.last_interaction_at !== base.theirs.last_interaction_at
          ? Date.parse(String(theirsLine.last_interaction_at))
          : Number.NaN;
      const result = mergeTask({
        known,
        theirsBase: base?.theirs ?? null,
        theirs: theirsLine,
        oursBase: base?.ours ?? null,
        ours,
        // Upstream stamps a task it changes (last_interaction_at); else the file's own time says when it was written.
        theirsAt: known ? (Number.isNaN(theirsChangedTime) ? stamp.mtimeMs : theirsChangedTime) : lineTime(theirsLine),
        oursAt: known ? ((await touchedAt(core, id)) ?? lineTime(ours)) : lineTime(ours),
      });
      // A change of this app's stamped as upstream stamps its own, so an older copy written back is told by its stamp.
      if (result.line && result.fileChanged && ours && !(known && sameJson(ours, base?.ours ?? undefined))) {
        result.line = { ...result.line, last_interaction_at: stampAfter(now, theirsLine, base?.theirs) };
      }
      results.set(id, result.line);
      if (result.fileChanged && (node || result.line)) rewritten.add(id);
      if (result.store.kind !== 'none') edits.push({ id, change: result.store, line: result.line ?? theirsLine ?? {} });
    }
    return { rewritten, edits, results };
  }

  /** Whether the run has ended here (a line putting its task back onto it moves the task backwards). */
  /** Whether a run has ended (a run not in the graph has not), for the rules of regressions.ts: every run's state, read once. */
  private async runsEnded(): Promise<(agent: string) => boolean> {
    const rows = await this.store.core.all(this.store.core.build.selectFrom('agents').select(['id', 'state']));
    const states = new Map(rows.map((row) => [row.id, row.state]));
    return (agent) => {
      const state = states.get(agent);
      return state !== undefined && state !== 'working';
    };
  }

  private async tasksOf(ids: string[]): Promise<Task[]> {
    const core = this.store.core;
    if (ids.length > 64) {
      // Many (the first sync: all): one read of every task, four queries, beats four a task.
      const wanted = new Set(ids);
      return (await listTasks(core)).filter((t) => wanted.has(t.id));
    }
    return (
      await Promise.all(
        ids.map(async (id) => {
          const row = await findTaskRow(core, id);
          return row ? [await taskFromRow(core, row)] : [];
        }),
      )
    ).flat();
  }
}

/** The line a sync that removed tasks says. */
function removedLine(tasks: readonly string[]): string {
  const shown = tasks.length > 5 ? `${tasks.slice(0, 5).join(', ')} and ${tasks.length - 5} more` : tasks.join(', ');
  return `graph.jsonl no longer has ${shown}: removed here too, as upstream's gc and archive remove tasks (kept whole for 30 days: a task whose line is put back in graph.jsonl comes back as it was)`;
}
