import { neverDue, type Steps, toEnd } from '../../shared/steps';
import type { Task } from '../../shared/task';
import { changedKeys } from './task-changes';

/** "Required by": for each task, the tasks that list it in `after`. */
export function dependentsIndex(tasks: ReadonlyMap<string, Task>): Map<string, readonly string[]> {
  return new KeptDependents().update(tasks) as Map<string, readonly string[]>;
}

/**
 * The same index kept from one graph to the next: only the tasks whose dependencies changed are
 * looked at again (their old dependencies lose them, their new ones gain them). Each list is in
 * the graph's order, as read from nothing; a list that changed is a new array, the others are
 * shared with the index before. A graph of all new tasks (a full reload, perhaps in another
 * order) is read as from nothing.
 */
export class KeptDependents {
  private tasks: ReadonlyMap<string, Task> = new Map();
  private index = new Map<string, readonly string[]>();
  /** Each task's place in the graph's order (a Map keeps the order tasks were first set in). */
  private rank = new Map<string, number>();
  private next = 0;

  update(tasks: ReadonlyMap<string, Task>): ReadonlyMap<string, readonly string[]> {
    return toEnd(this.steps(tasks, neverDue));
  }

  /**
   * The update as steps that pause where `due` says (shared/steps.ts): a plan read from nothing (the first
   * snapshot, boot.ts) is indexed in time slices; 10,000 tasks were one task of 104–160 ms under load.
   */
  *steps(tasks: ReadonlyMap<string, Task>, due: () => boolean): Steps<ReadonlyMap<string, readonly string[]>> {
    // No graph (the graph page drawn before its first states are whole, GraphPage's NOTHING_YET): no task depends on
    // another, and what is kept stays for the graph that comes back. Forgotten, the graph page mounted after a
    // 50,000-task plan had landed unindexed it (a task of 80 ms) and its states indexed it again from nothing (250 ms).
    if (tasks.size === 0) return new Map<string, readonly string[]>();
    const before = this.tasks;
    const changed: Array<[Task | undefined, Task | undefined]> = [];
    // The tasks not among those that changed are the same objects. After no graph at all every task is new:
    // read from nothing, with no list of them made first.
    let differ = before.size === 0 ? tasks.size : 0;
    for (const id of before.size === 0 ? [] : changedKeys(before, tasks)) {
      const old = before.get(id);
      const task = tasks.get(id);
      if (old === task) continue;
      if (task) differ++;
      // A status change leaves the index as it is.
      if (!old || !task || !sameList(old.after, task.after)) changed.push([old, task]);
    }
    const fromNothing = differ === tasks.size && tasks.size > 0;
    if (changed.length === 0 && !fromNothing) {
      this.tasks = tasks;
      return this.index;
    }
    const index = new Map(fromNothing ? [] : this.index);
    // Read from nothing, everything is made anew here and kept only at the end: an update asked for while these
    // steps pause reads the index as it was, whole.
    const rank = fromNothing ? new Map<string, number>() : this.rank;
    let next = fromNothing ? 0 : this.next;
    // Lists made in this update are changed in place; the others are copied first (shared with the index before).
    const own = fromNothing ? null : new Set<readonly string[]>();
    const writable = (dependency: string): string[] => {
      const list = index.get(dependency);
      if (list && (own === null || own.has(list))) return list as string[];
      const copy = list ? [...list] : [];
      own?.add(copy);
      index.set(dependency, copy);
      return copy;
    };
    const apply = (old: Task | undefined, task: Task | undefined) => {
      const id = (task ?? old)?.id as string;
      let place = rank.get(id);
      if (place === undefined) {
        place = next++;
        rank.set(id, place);
      }
      for (const dependency of old?.after ?? []) {
        if (task?.after.includes(dependency)) continue;
        const list = writable(dependency);
        const at = list.indexOf(id);
        if (at >= 0) list.splice(at, 1);
        if (list.length === 0) index.delete(dependency);
      }
      for (const dependency of task?.after ?? []) {
        if (old?.after.includes(dependency)) continue;
        const list = writable(dependency);
        // Read from nothing, tasks come in the graph's order: each goes last.
        let at = list.length;
        if (!fromNothing) while (at > 0 && (rank.get(list[at - 1] as string) ?? 0) > place) at--;
        if (at === list.length) list.push(id);
        else list.splice(at, 0, id);
      }
      if (!task) rank.delete(id);
    };
    if (fromNothing)
      for (const task of tasks.values()) {
        apply(undefined, task);
        if (due()) yield;
      }
    // A few tasks changed: at once (what it changes in place is the index's own).
    else for (const [old, task] of changed) apply(old, task);
    this.tasks = tasks;
    this.rank = rank;
    this.next = next;
    this.index = index;
    return index;
  }
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);
