import type { Message } from '../../shared/message';
import type { NewMessage } from '../store/message-records';
import { markInbox } from '../messages/inbox-marker';
import type { Store } from '../store/store';
import { QUIET_MS } from './graph-file';
import { GraphLockError, lockUpstreamFile, type FileLock } from './graph-lock';
import {
  appendLines,
  ensureMessagesDir,
  fileNamePart,
  messageFilePath,
  messageFileTasks,
  messageLine,
  openForRewrite,
  readCursorFile,
  readLockedFile,
  readMessageFile,
  writeCursorFile,
  type MessageFile,
} from './message-files';
import {
  applyPlanToStore,
  changedHere,
  cursorAfterMoves,
  ensureMessageSyncRecords,
  markWrittenBack,
  setCursor,
  storedCursors,
  storedMessages,
  taskExists,
  tasksChangedHere,
} from './message-apply';
import { planMessages } from './message-merge';

/*
 * One set of messages, two tools: in a folder upstream's wg uses (it has graph.jsonl), a task's
 * messages live in upstream's `messages/<task>.jsonl` as well as in graph.db, kept the same the way
 * graph-sync.ts keeps graph.jsonl and graph.db one graph. A sync of a task reads the file without a
 * lock (upstream appends whole lines and replaces it by a rename), takes in what graph.db lacks,
 * and when the file must be written (a message sent here, a status moved forward here), does it
 * all again holding upstream's own lock on that file (an exclusive flock, as send_message takes
 * it), then graph.db's write lock, always in that order. A send here takes the lock first: its id
 * is the next one of the file and graph.db both, and the line is appended before either lock is
 * let go, so upstream's next send counts it. Statuses moved forward here are written into the file
 * in place, under that lock, not by upstream's rename (see openForRewrite). Cursors (the last id each
 * reader read) are upstream's `.cursors/<reader>.<task>` files and graph.db's rows; each takes the
 * higher, after a cursor past a message of graph.db's moved to a new id is put back before it.
 */

/** The sync needs to write the file: run it again holding upstream's lock. */
const NEEDS_LOCK = Symbol('needs the message file lock');
/** The file locked is no longer the one at its name (upstream renamed a new one over it): lock that one. */
const MOVED = Symbol('message file replaced');
/** How often a lock taken on a file that a rename replaced meanwhile is taken again, on the new one. */
const LOCK_ATTEMPTS = 5;
/**
 * Whether the file may be in the middle of a write in place by a tool that skips the lock: its last line cut, and
 * changed within QUIET_MS (as long as graph.jsonl is waited for).
 */
function stillBeingWritten(file: MessageFile): boolean {
  return !file.endsWithNewline && Date.now() - file.stamp.mtimeMs < QUIET_MS;
}

export interface MessageSyncOptions {
  /** false: a project this process may only read; upstream's messages are taken in, nothing is written back. */
  writeFiles: boolean;
  /** The service folder, where a message taken in leaves the marker that wakes its agent's hook. */
  serviceDir: string;
}

export class MessageSync {
  private constructor(
    private readonly store: Store,
    private readonly wgDir: string,
    private readonly options: MessageSyncOptions,
  ) {}

  /** The sync of `store`'s messages with upstream's files in `wgDir`, its records made ready. */
  static async open(store: Store, wgDir: string, options: MessageSyncOptions): Promise<MessageSync> {
    await ensureMessageSyncRecords(store.core);
    return new MessageSync(store, wgDir, options);
  }

  /**
   * Makes a task's messages and cursors the same in graph.db and upstream's files. `readers`: cursor
   * files to take in besides those of readers graph.db knows (the one about to read).
   */
  async syncTask(taskId: string, readers: readonly string[], waitMs: number, signal?: AbortSignal): Promise<void> {
    if (!fileNamePart(taskId)) return;
    const result = await this.store.core.batch(() => this.pass(taskId, readers, null, null));
    if (result !== NEEDS_LOCK) return;
    await this.withLock(taskId, waitMs, signal, (lock) => this.pass(taskId, readers, lock, null));
  }

  /** Sends a message as upstream's send_message does, under its lock: the id is the file's next, the line appended. */
  async send(input: NewMessage, waitMs: number): Promise<Message> {
    // Refused (no such task) or never in a file: graph.db alone, and no file made for it.
    if (!fileNamePart(input.taskId) || !this.options.writeFiles || !(await taskExists(this.store.core, input.taskId))) {
      return this.store.messages.send(input);
    }
    const sent = await this.withLock(input.taskId, waitMs, undefined, (lock) => this.pass(input.taskId, [], lock, input));
    if (sent === null || sent === NEEDS_LOCK) throw new Error('message not sent');
    return sent;
  }

  /** The daemon's or the window's sync: every task changed here since its last write-back, and `files` changed there. */
  async syncPending(files: Iterable<string> | 'all', waitMs: number, signal?: AbortSignal): Promise<void> {
    const tasks = new Set(await tasksChangedHere(this.store.core));
    for (const task of files === 'all' ? messageFileTasks(this.wgDir) : files) tasks.add(task);
    // One file that cannot be synced (a FIFO in its place, a lock held too long) holds up no other.
    let failure: unknown = null;
    for (const task of tasks) {
      if (signal?.aborted) return;
      try {
        await this.syncTask(task, [], waitMs, signal);
      } catch (error) {
        failure ??= error;
      }
    }
    if (failure !== null) throw failure;
  }

  private async withLock<T>(
    taskId: string,
    waitMs: number,
    signal: AbortSignal | undefined,
    work: (lock: FileLock) => Promise<T | typeof MOVED>,
  ): Promise<T> {
    ensureMessagesDir(this.wgDir);
    const path = messageFilePath(this.wgDir, taskId);
    for (let attempt = 1; attempt <= LOCK_ATTEMPTS; attempt++) {
      const lock = await lockUpstreamFile(path, waitMs, signal);
      try {
        const result = await this.store.core.batch(() => work(lock));
        if (result !== MOVED) return result;
      } finally {
        lock.release();
      }
    }
    throw new GraphLockError(`${taskId}.jsonl was replaced each time it was locked (${LOCK_ATTEMPTS} times)`);
  }

  /**
   * One pass inside graph.db's transaction (a batch): reads both sides and applies the plan, unless
   * the file must be written and its lock is not held (NEEDS_LOCK, nothing done). With `send`, the
   * message is added after the file's messages are taken in, so its id is the next of both.
   */
  private async pass(
    taskId: string,
    readers: readonly string[],
    lock: FileLock | null,
    send: NewMessage | null,
  ): Promise<Message | null | typeof NEEDS_LOCK | typeof MOVED> {
    const core = this.store.core;
    if (!(await taskExists(core, taskId))) {
      // Upstream's file of a task graph.db does not have (yet): nothing to take in; a send is refused by the store.
      return send ? this.store.messages.send(send) : null;
    }
    const file: MessageFile | null = lock ? readLockedFile(this.wgDir, taskId, lock.fd) : readMessageFile(this.wgDir, taskId);
    // Upstream's status update renames a new file over the one locked: the lock must be on the file at the name.
    if (lock && file === null) return MOVED;
    const plan = planMessages(file?.lines ?? [], await storedMessages(core, taskId));
    // A file whose last line is cut and that changed a moment ago is being written in place by a tool
    // that skips the lock: nothing is written to it yet (an append would follow the half line, a
    // rewrite would lose the rest of it). graph.db takes in what is whole and keeps its own changes,
    // and the task stays marked changed here, so a later sync writes them once the file is whole.
    const unfinished = file !== null && stillBeingWritten(file);
    const writesFiles = this.options.writeFiles && !unfinished;
    const cursors = await storedCursors(core, taskId);
    for (const reader of readers) if (!cursors.has(reader)) cursors.set(reader, 0);
    const cursorsIn: Array<[string, number]> = [];
    const cursorsOut: Array<[string, number]> = [];
    for (const [reader, stored] of cursors) {
      if (!fileNamePart(reader)) continue;
      // Compared as graph.db will have it: lowered below a message the plan moves (applyPlanToStore).
      const kept = cursorAfterMoves(plan, stored);
      const theirs = readCursorFile(this.wgDir, reader, taskId);
      if (theirs > kept) cursorsIn.push([reader, theirs]);
      // Not while the file is not written: a cursor past a message not yet in it would skip the one
      // the file may give that id meanwhile.
      else if (kept > theirs && writesFiles) cursorsOut.push([reader, kept]);
    }
    const writesFile = writesFiles && (send !== null || plan.toFile.length > 0 || plan.upgradedLines !== null);
    if (writesFile && lock === null) return NEEDS_LOCK;
    // Statuses moved forward are written in place through the lock, never by a rename: an upstream send
    // waiting for the lock holds the file at the name now, and would append to one renamed away.
    // Opened before graph.db changes: when the file changed since it was read, it is read again.
    const rewrite =
      writesFile && lock !== null && file !== null && plan.upgradedLines ? openForRewrite(this.wgDir, taskId, lock.fd, file) : null;
    if (writesFile && file !== null && plan.upgradedLines && rewrite === null) return MOVED;
    try {
      const storeChanges = plan.toStore.length + plan.storeUpgrades.length + plan.renumber.length + cursorsIn.length;
      const sent =
        storeChanges > 0 || send
          ? await core.write(async () => {
              await applyPlanToStore(core, taskId, plan);
              for (const [reader, cursor] of cursorsIn) await setCursor(core, taskId, reader, cursor);
              return send ? this.store.messages.send(send) : null;
            })
          : null;
      if (writesFile && lock !== null) {
        const lines = [...plan.toFile, ...(sent ? [sent] : [])].map(messageLine);
        if (rewrite && plan.upgradedLines) rewrite.write([...plan.upgradedLines, ...lines]);
        else if (file) appendLines(lock.fd, file, lines);
      }
      for (const [reader, cursor] of cursorsOut) writeCursorFile(this.wgDir, reader, taskId, cursor);
      if (writesFiles && (await changedHere(core, taskId))) await markWrittenBack(core, taskId);
      // Upstream's messages to a task wake its agent's hook here as this app's own do (a reply by the task's agent does not).
      if (plan.toStore.some((m) => m.sender !== taskId)) markInbox(this.options.serviceDir, taskId);
      return sent;
    } finally {
      rewrite?.close();
    }
  }
}
