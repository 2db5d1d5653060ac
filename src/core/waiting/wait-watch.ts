import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { StoreCore } from '../store/store-core';
import { WriteEndedError } from '../store/sql-connection';
import { timerAt, type TimerAt } from '../timing/timer-at';
import { fileMtimeMs, sweepWaits } from './wait-writes';
import { errorText } from '../../shared/errors';

/**
 * The coordinator's side of `wg wait`, looked at in every turn. What makes a condition true wakes it:
 * - `task:` and `message`/`human-input`: a commit to the store (every commit starts a turn anyway);
 * - `timer:`: one wake timer at the earliest pending timer (timerAt, so a far date never fires early);
 * - `file:`: a watcher on the file's folder (a watch on the file itself would miss it being created, or
 *   replaced by a rename as editors and `mv` do); the turn then compares modification times. A folder
 *   that cannot be watched (not there yet) is still compared at every turn and the poll_interval's.
 */
export class WaitWatch {
  private timer: { at: number; handle: TimerAt } | null = null;
  private readonly folders = new Map<string, { watcher: FSWatcher; names: Set<string> }>();

  constructor(
    private readonly wake: () => void,
    private readonly warn: (message: string) => void,
  ) {}

  /** Inside the coordinator's turn: releases or fails what is due, then arms the wake-ups for the rest. */
  async look(core: StoreCore): Promise<string[]> {
    try {
      const sweep = await sweepWaits(core, { nowMs: core.clock().getTime(), mtimeMs: fileMtimeMs });
      this.armTimer(sweep.nextTimerMs);
      this.watchFiles(sweep.files);
      return sweep.changed;
    } catch (error) {
      // The turn's transaction is over: the turn fails whole, and is tried again.
      if (error instanceof WriteEndedError) throw error;
      this.warn(`waiting tasks not checked: ${errorText(error)}`);
      return [];
    }
  }

  stop(): void {
    this.armTimer(null);
    this.watchFiles([]);
  }

  private armTimer(at: number | null): void {
    if (this.timer?.at === at) return;
    this.timer?.handle.cancel();
    this.timer = at === null ? null : { at, handle: timerAt(at + 5, this.wake, { unref: true }) };
  }

  private watchFiles(files: readonly string[]): void {
    const wanted = new Map<string, Set<string>>();
    for (const file of files) {
      const folder = dirname(file);
      const names = wanted.get(folder) ?? new Set<string>();
      names.add(basename(file));
      wanted.set(folder, names);
    }
    for (const [folder, entry] of this.folders) {
      if (wanted.has(folder)) continue;
      entry.watcher.close();
      this.folders.delete(folder);
    }
    for (const [folder, names] of wanted) {
      const known = this.folders.get(folder);
      if (known) {
        known.names = names;
        continue;
      }
      try {
        const watcher = watch(folder, { persistent: false }, (_event, name) => {
          // Some platforms give no name: any change in the folder is worth a look.
          const watched = this.folders.get(folder)?.names;
          if (name === null || watched?.has(String(name))) this.wake();
        });
        watcher.on('error', () => {
          watcher.close();
          this.folders.delete(folder);
        });
        this.folders.set(folder, { watcher, names });
      } catch {
        // Not there (yet): compared at every turn instead.
      }
    }
  }
}
