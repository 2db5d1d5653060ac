import { programMissing } from '../executors/find-program';
import type { ProgramMissing } from '../runs/claiming/program-missing';
import { COORDINATOR } from '../runs/settling/settle';
import type { Store } from '../store/store';
import { appendLog, touch } from '../store/task-writes';

/** How often a held program is looked for again: a few file checks, no turn of the coordinator. */
export const PROGRAM_LOOK_MS = 5000;

/** Tasks waiting for one program: the executors that run it, the tasks refused or told, and why. */
interface Hold {
  program: string;
  path: string | undefined;
  reason: string;
  executors: Set<string>;
  /** Tasks whose claim was refused for it: held whatever executor their ready row names (routing may differ). */
  refused: Set<string>;
  /** Tasks whose log says they wait for it. */
  told: Set<string>;
}

/** What a newly held task or program asks to be said. */
export interface HoldNews {
  /** The first task to wait for this program: the daemon's log says so once. */
  newProgram: boolean;
  /** The task's log does not say yet that it waits. */
  tellTask: boolean;
}

/**
 * Programs this machine lacks (the agent CLI not installed), and the tasks that wait for them. A claim refused for a
 * missing program (ProgramMissing) holds its executor: its other ready tasks are passed over, not tried and refused
 * one by one, while the coordinator starts the rest of the graph. Each held program is looked for again every few
 * seconds (file checks only); once found, its tasks are ready to start again and the coordinator is woken. Held in
 * memory: a restarted coordinator finds out again with its first claim, on its own machine, whose PATH it is.
 */
export class ProgramHolds {
  private readonly holds = new Map<string, Hold>();
  private timer: NodeJS.Timeout | null = null;

  /** `released`: called with the programs found again (the coordinator's wake). */
  constructor(private readonly released: (programs: Array<{ program: string; executors: string[] }>) => void) {}

  /** A claim of `taskId` was refused for `missing`. */
  hold(missing: ProgramMissing, taskId: string): HoldNews {
    const existing = this.holds.get(missing.program);
    const hold = existing ?? {
      program: missing.program,
      path: missing.path,
      reason: missing.message,
      executors: new Set<string>(),
      refused: new Set<string>(),
      told: new Set<string>(),
    };
    this.holds.set(missing.program, hold);
    hold.executors.add(missing.executor);
    hold.refused.add(taskId);
    this.arm();
    return { newProgram: !existing, tellTask: this.tell(hold, taskId) };
  }

  /** Why this ready task waits (its executor's program, or its own refused claim's, is missing), or null. */
  reasonFor(executor: string | null, taskId: string): string | null {
    for (const hold of this.holds.values()) {
      if ((executor !== null && hold.executors.has(executor)) || hold.refused.has(taskId)) return hold.reason;
    }
    return null;
  }

  /** Whether the log of a task found waiting (`reason`: reasonFor's) is still to say so: true once per hold. */
  toTell(taskId: string, reason: string): boolean {
    const hold = [...this.holds.values()].find((h) => h.reason === reason);
    return hold ? this.tell(hold, taskId) : false;
  }

  /** Looks for every held program again: those found are released (and said to the constructor's callback). */
  look(): void {
    const found = [...this.holds.values()].filter((hold) => !programMissing(hold.program, hold.path));
    for (const hold of found) this.holds.delete(hold.program);
    if (this.holds.size === 0) this.clear();
    if (found.length > 0) this.released(found.map((hold) => ({ program: hold.program, executors: [...hold.executors] })));
  }

  /** Nothing held any more (the coordinator stops). */
  clear(): void {
    this.holds.clear();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tell(hold: Hold, taskId: string): boolean {
    if (hold.told.has(taskId)) return false;
    hold.told.add(taskId);
    return true;
  }

  private arm(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.look(), PROGRAM_LOOK_MS);
    // A coordinator with nothing else to do may exit while it waits.
    this.timer.unref();
  }
}

const WAITING_FOR_A_PROGRAM = 'Waiting for a program';

/**
 * Says in the task's log why it waits, with what to do; not again when its last line says so already (a restarted
 * coordinator, refused again, with nothing happened to the task since).
 */
export function noteWaitingForProgram(store: Store, taskId: string, reason: string): void {
  const core = store.core;
  const last = core.sql<{ message: string }>('SELECT message FROM task_log WHERE task_id = ? ORDER BY id DESC LIMIT 1').get(taskId);
  if (last?.message.startsWith(WAITING_FOR_A_PROGRAM)) return;
  core.write((rev) => {
    appendLog(core, taskId, COORDINATOR, `${WAITING_FOR_A_PROGRAM}: ${reason}; it starts by itself once that is found`);
    touch(core, taskId, rev);
  });
}
