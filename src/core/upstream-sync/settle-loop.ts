import type { Store } from '../store/store';
import { readGraphFile, type GraphFile } from './graph-file';
import { ConflictMarkerError } from './graph-lines';
import type { GraphLock } from './graph-lock';
import { gitOperationOnGraphFile } from './git-operation';
import { underGitOperation } from './git-operation-wait';
import { markConflicted } from './sync-records';
import { NOTHING, type SyncMode, type SyncOutcome } from './sync-outcome';

/*
 * The settle loop of a sync (graph-sync.ts): graph.jsonl read, read again after a pause when it may be a save under
 * way, and upstream's lock asked for when the merge would write it, as steps its driver performs (blocking a `wg`
 * command's thread, or not the daemon's). Moved out of graph-sync.ts as it was.
 */

/**
 * How long a read that looks like a save under way (empty, cut, lacking tasks, a task moved
 * backwards) must stand still before it is acted on: longer than the gap between the writes of one
 * save, short enough that a command meeting such a file hardly waits.
 */
const SETTLE_MS = 250;
/** Reads, settles and lock takings in one sync before giving up until the file's next change. */
const MAX_ROUNDS = 12;

/** The merge would write graph.jsonl: run it again holding upstream's lock. */
export const NEEDS_LOCK = Symbol('needs upstream lock');
/** The read may be a save under way: read again after SETTLE_MS. */
export const UNSETTLED = Symbol('not settled');
/**
 * graph.jsonl was replaced after it was read: read it again, holding upstream's lock, under which upstream's wg and
 * this app's other processes do not write it. Without the lock a busy writer (upstream's wg in a loop) may replace it
 * in every gap between a read and the store's transaction, which waits for the database when other writers hold it.
 */
export const MOVED = Symbol('replaced since read');

export type Verdict = SyncOutcome | typeof NEEDS_LOCK | typeof UNSETTLED | typeof MOVED;
/** What a sync needs from its driver: a pause, or upstream's lock (sync: blocking this thread; async: not). */
type Step = { sleep: number } | { lock: true };

export interface Context {
  mode: SyncMode;
  /** The file read is the same version as one read before a settle's pause. */
  settled: boolean;
  locked: boolean;
}

/** What the loop asks of the sync it drives: its store and folder, whether anything is pending, and one look. */
export interface SettleLoop {
  readonly store: Store;
  readonly wgDir: string;
  pending(): Promise<boolean>;
  gone(): Promise<SyncOutcome>;
  merge(file: GraphFile, context: Context): Promise<Verdict>;
}

/**
 * Two reads of one version: the same file (inode) with the same text. Not its time: a save in place
 * that writes the same text again is the same version, and a file saved again and again (an editor's
 * autosave) still stands still in what it says.
 */
function sameVersion(a: GraphFile, b: GraphFile): boolean {
  return a.stamp.ino === b.stamp.ino && a.text === b.text;
}

/**
 * The sync as steps its driver performs: reads graph.jsonl (outside the store's transaction: a
 * settle must not hold it), merges inside it, and asks for a pause to settle a read or for upstream's
 * lock to write, as the merge says. The lock, once taken, is held to the end.
 */
export async function* settleSteps(sync: SettleLoop, mode: SyncMode): AsyncGenerator<Step, SyncOutcome, GraphLock | undefined> {
  // Looked at first (a few stats): with nothing pending in graph.jsonl, message files may be (sync-service.ts).
  const operation = gitOperationOnGraphFile(sync.wgDir);
  if (operation) return underGitOperation(sync.store, sync.wgDir, operation, mode);
  if (!(await sync.pending())) return NOTHING;
  let lock: GraphLock | undefined;
  // The first read of the version read now, and whether a settle's pause has passed since.
  let first: { file: GraphFile; settled: boolean } | null = null;
  try {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const file = readGraphFile(sync.wgDir);
      if (file === null) return await sync.gone();
      if (file.moving) {
        // Changed while it was read: no version of it at all.
        first = null;
        yield { sleep: SETTLE_MS };
        continue;
      }
      if (first === null || !sameVersion(first.file, file)) first = { file, settled: false };
      const context: Context = { mode, settled: first.settled, locked: lock !== undefined };
      let verdict: Verdict;
      try {
        verdict = await sync.store.core.batch(() => sync.merge(file, context));
      } catch (error) {
        // Remembered outside the look that failed (its transaction is undone): the next version is the merge's end.
        if (error instanceof ConflictMarkerError && !sync.store.readOnly)
          await sync.store.core.write(() => markConflicted(sync.store.core));
        throw error;
      }
      if (verdict === NEEDS_LOCK || (verdict === MOVED && lock === undefined)) lock = yield { lock: true };
      else if (verdict === UNSETTLED) {
        yield { sleep: SETTLE_MS };
        if (first) first.settled = true;
      } else if (verdict !== MOVED) return verdict;
      // MOVED under the lock: a writer that does not take it (an editor); read again.
    }
    return { ...NOTHING, notice: 'graph.jsonl is not taken in: it kept changing while it was read; it is once it stands still' };
  } finally {
    lock?.release();
  }
}
