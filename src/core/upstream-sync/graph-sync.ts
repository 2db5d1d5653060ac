import type { Task } from '../../shared/task';
import { upstreamLine } from '../store/jsonl-export';
import type { Store } from '../store/store';
import type { StoreCore } from '../store/store-core';
import { findTaskRow, listTasks, taskFromRow, tasksChangedSince } from '../store/task-reads';
import { readGraphFile, sameStamp, statGraphFile, writeGraphFile, type FileStamp, type GraphFile } from './graph-file';
import { lineHash, parseGraphLines, tasksById, writeGraphLines, type FileNode } from './graph-lines';
import { lockGraph, lockGraphSync, type GraphLock } from './graph-lock';
import { applyToStore, type StoreEdit } from './store-apply';
import { baseHashes, baseOursText, ensureSyncRecords, readBase, readState, touchedAt, writeBase, writeState } from './sync-records';
import { mergeTask, type Line } from './task-merge';
import { keepAboveUpstreamAgents } from './upstream-agents';

/*
 * One graph, two tools: this app's graph.db and upstream's graph.jsonl kept the same. A sync reads
 * graph.jsonl inside the store's write transaction, merges each task that changed on either side
 * since the last sync (task-merge.ts), puts graph.jsonl's changes into the store and records the
 * merged versions as the next bases. When this app's side changed something graph.jsonl must get, it
 * does all that again holding upstream's lock (graph.lock) first, then the store's (always in that
 * order, so two of this app's processes never wait on each other crosswise; upstream never takes the
 * store's), and writes graph.jsonl as upstream does before either lock is let go. Reading needs no
 * lock (upstream replaces the file whole by a rename), so a sync that only takes in upstream's
 * changes, or a look that finds nothing, never makes upstream's wg wait. Who writes graph.jsonl:
 * the process that made the change (a `wg` command after its change; the daemon or the window after
 * their own), and the daemon or window take in upstream's as it writes them (sync-service.ts).
 */

export interface SyncOutcome {
  /** Tasks the store took from graph.jsonl (added, changed or removed). */
  fromFile: number;
  /** Whether graph.jsonl was written. */
  wroteFile: boolean;
}

const NOTHING: SyncOutcome = { fromFile: 0, wroteFile: false };
/** The merge would write graph.jsonl: run it again holding upstream's lock. */
const NEEDS_LOCK = Symbol('needs upstream lock');

/** Times a line carries: for tasks never synced, the side whose line is newer is taken as the later writer. */
function lineTime(line: Line | null): number {
  if (!line) return 0;
  const times: unknown[] = [line.last_interaction_at, line.completed_at, line.started_at, line.created_at];
  if (Array.isArray(line.log)) for (const e of line.log) if (e && typeof e === 'object' && !Array.isArray(e)) times.push(e.timestamp);
  return Math.max(0, ...times.map((t) => (typeof t === 'string' ? Date.parse(t) : Number.NaN)).filter((t) => !Number.isNaN(t)));
}

function oursLine(task: Task): Line {
  return upstreamLine(task);
}

/** The revision of the last removal of tasks here (`wg gc`, `wg archive`) or by a sync (store/task-removal.ts). */
function removedRev(core: StoreCore): number {
  return core.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'tasks_removed_rev'").get()?.value ?? 0;
}

/** Tasks synced before that this app's graph no longer has: removed here, so gone from graph.jsonl too (unless changed there since). */
function removedHere(core: StoreCore): string[] {
  return core
    .sql<{ id: string }>('SELECT id FROM upstream_sync_lines WHERE ours IS NOT NULL AND id NOT IN (SELECT id FROM tasks)')
    .all()
    .map((r) => r.id);
}

export class GraphSync {
  /** Revisions up to this one were looked at and held nothing for graph.jsonl (this process's memory only). */
  private checkedRev = 0;
  /** The last version of graph.jsonl parsed. */
  private parsed: { stamp: FileStamp; size: number; nodes: FileNode[] } | null = null;

  constructor(
    private readonly store: Store,
    private readonly wgDir: string,
  ) {
    ensureSyncRecords(store.core);
    keepAboveUpstreamAgents(store.core, wgDir);
  }

  /** Whether graph.jsonl or this app's graph changed since the last sync: store reads and one stat, no lock. */
  pending(): boolean {
    const core = this.store.core;
    const state = readState(core);
    if (state.rev === null) return true;
    const stamp = statGraphFile(this.wgDir);
    if (stamp === null) return false;
    if (!sameStamp(stamp, state.stamp)) return true;
    const since = Math.max(state.rev, this.checkedRev);
    const rev = core.currentRev();
    if (rev <= since) return false;
    if (removedRev(core) > state.rev) return true;
    const changed = tasksChangedSince(core, since).some((task) => JSON.stringify(oursLine(task)) !== baseOursText(core, task.id));
    if (!changed) this.checkedRev = rev;
    return changed;
  }

  /**
   * Syncs now if needed. Upstream's lock is taken, waiting up to `waitMs` with this thread (a `wg`
   * command), only when graph.jsonl is to be written: reading it needs none (upstream replaces it
   * whole by a rename), and a version read is recorded with its stamp, so a later one is seen.
   */
  syncNow(waitMs: number): SyncOutcome {
    if (!this.pending()) return NOTHING;
    const unlocked = this.store.core.batch(() => this.merge(false));
    if (unlocked !== NEEDS_LOCK) return unlocked;
    const lock = lockGraphSync(this.wgDir, waitMs);
    return this.locked(lock);
  }

  /** The same, waiting for upstream's lock without blocking the event loop (the daemon, the window). */
  async sync(waitMs: number, signal?: AbortSignal): Promise<SyncOutcome> {
    if (!this.pending()) return NOTHING;
    const unlocked = this.store.core.batch(() => this.merge(false));
    if (unlocked !== NEEDS_LOCK) return unlocked;
    const lock = await lockGraph(this.wgDir, waitMs, signal);
    return this.locked(lock);
  }

  private locked(lock: GraphLock): SyncOutcome {
    try {
      const outcome = this.store.core.batch(() => this.merge(true));
      return outcome === NEEDS_LOCK ? NOTHING : outcome;
    } finally {
      lock.release();
    }
  }

  /**
   * The sync itself, inside the store's write transaction: reads both sides, merges, and (unless
   * graph.jsonl must be written and upstream's lock is not held: NEEDS_LOCK, nothing done) applies.
   */
  private merge(locked: boolean): SyncOutcome | typeof NEEDS_LOCK {
    const core = this.store.core;
    const file = readGraphFile(this.wgDir);
    if (file === null) return NOTHING;
    const hashes = baseHashes(core);
    const nodes = this.nodesOf(file, hashes);
    const theirs = tasksById(nodes);
    const state = readState(core);
    const candidates = this.candidates(theirs, hashes, state.rev);
    if (candidates.length === 0 && sameStamp(file.stamp, state.stamp)) return NOTHING;
    const plan = this.plan(candidates, theirs, file.stamp);
    const writesFile = plan.merged.size > 0 || plan.added.length > 0;
    if (writesFile && !locked) return NEEDS_LOCK;
    return core.write((rev) => {
      applyToStore(core, plan.edits, rev);
      const after = new Map(this.tasksOf(candidates).map((t) => [t.id, oursLine(t)]));
      const stamp = writesFile ? writeGraphFile(this.wgDir, writeGraphLines(nodes, plan.merged, plan.added)) : file.stamp;
      const addedIds = new Set(plan.added.map(([id]) => id));
      for (const id of candidates) {
        const line = plan.results.get(id) ?? null;
        // A line left as graph.jsonl had it is recorded as its very text (the hash of the next look compares with it).
        const kept = plan.merged.has(id) || addedIds.has(id) ? undefined : theirs.get(id);
        const text = line === null ? null : (kept?.raw ?? JSON.stringify(line));
        const oursAfter = after.get(id);
        writeBase(core, id, text === null ? null : { text, hash: lineHash(text) }, oursAfter ? JSON.stringify(oursAfter) : null);
      }
      writeState(core, { rev, stamp });
      return { fromFile: plan.edits.length, wroteFile: writesFile };
    });
  }

  /** The file's nodes; the same version read again (the locked pass after the unlocked one) is not parsed again. */
  private nodesOf(file: GraphFile, hashes: Map<string, string | null>): FileNode[] {
    if (this.parsed && sameStamp(this.parsed.stamp, file.stamp) && this.parsed.size === file.text.length) return this.parsed.nodes;
    const known = new Map<string, string>();
    for (const [id, hash] of hashes) if (hash !== null) known.set(hash, id);
    const nodes = parseGraphLines(file.text, known);
    this.parsed = { stamp: file.stamp, size: file.text.length, nodes };
    return nodes;
  }

  /** Tasks changed on either side since the last sync (every task, the first time), in the store's order. */
  private candidates(theirs: Map<string, FileNode>, hashes: Map<string, string | null>, syncedRev: number | null): string[] {
    const core = this.store.core;
    if (syncedRev === null) return [...new Set([...listTasks(core).map((t) => t.id), ...theirs.keys()])];
    const ids = new Set<string>();
    for (const [id, node] of theirs) if (hashes.get(id) !== node.hash) ids.add(id);
    for (const [id, hash] of hashes) if (hash !== null && !theirs.has(id)) ids.add(id);
    for (const task of tasksChangedSince(core, syncedRev)) {
      if (JSON.stringify(oursLine(task)) !== baseOursText(core, task.id)) ids.add(task.id);
    }
    if (removedRev(core) > syncedRev) for (const id of removedHere(core)) ids.add(id);
    return [...ids];
  }

  /** Each candidate merged (reads only): the file's new lines, the store's edits. */
  private plan(ids: string[], theirs: Map<string, FileNode>, stamp: FileStamp) {
    const core = this.store.core;
    const ours = new Map(this.tasksOf(ids).map((t) => [t.id, oursLine(t)]));
    const merged = new Map<string, Line | null>();
    const added: Array<[string, Line]> = [];
    const edits: StoreEdit[] = [];
    const results = new Map<string, Line | null>();
    for (const id of ids) {
      const base = readBase(core, id);
      const node = theirs.get(id);
      const theirsLine = node?.line ?? null;
      const oursNow = ours.get(id) ?? null;
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
        ours: oursNow,
        // Upstream stamps a task it changes (last_interaction_at); else the file's own time says when it was written.
        theirsAt: known ? (Number.isNaN(theirsChangedTime) ? stamp.mtimeMs : theirsChangedTime) : lineTime(theirsLine),
        oursAt: known ? (touchedAt(core, id) ?? lineTime(oursNow)) : lineTime(oursNow),
      });
      results.set(id, result.line);
      if (result.fileChanged) {
        if (node) merged.set(id, result.line);
        else if (result.line) added.push([id, result.line]);
      }
      if (result.store.kind !== 'none') edits.push({ id, change: result.store, line: result.line ?? theirsLine ?? {} });
    }
    return { merged, added, edits, results };
  }

  private tasksOf(ids: string[]): Task[] {
    const core = this.store.core;
    if (ids.length > 64) {
      // Many (the first sync: all): one read of every task, four queries, beats four a task.
      const wanted = new Set(ids);
      return listTasks(core).filter((t) => wanted.has(t.id));
    }
    return ids.flatMap((id) => {
      const row = findTaskRow(core, id);
      return row ? [taskFromRow(core, row)] : [];
    });
  }
}
