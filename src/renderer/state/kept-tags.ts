import { neverDue, type Steps, toEnd } from '../../shared/steps';
import type { Task } from '../../shared/task';
import { changedSince } from './task-changes';

const NO_TAGS: readonly string[] = [];

/**
 * The graph's tags, sorted, kept from one graph to the next: each tag counted by how many tasks carry it, only the
 * tasks that changed (task-changes.ts) looked at again. Read whole on every change, a status change of a 50,000-task
 * plan walked every task for the tag menu. The same array is answered while the tags are the same. A graph not made
 * from the one before is read in steps: the window reads its first snapshot's in time slices (boot.ts): 20 ms of
 * the graph page's first render at 50,000 tasks, when the page read them.
 */
export class KeptTags {
  private tasks: ReadonlyMap<string, Task> = new Map();
  private counts = new Map<string, number>();
  private list: readonly string[] = [];

  update(tasks: ReadonlyMap<string, Task>): readonly string[] {
    return toEnd(this.steps(tasks, neverDue));
  }

  /**
   * `update`, pausing where `due` says when every task is read. Read from nothing, the counts are made apart and
   * kept only at the end: an update asked for while these steps pause reads the tags as they were, whole.
   */
  *steps(tasks: ReadonlyMap<string, Task>, due: () => boolean): Steps<readonly string[]> {
    // No graph (the graph page drawn before its first states are whole): no tags, and what is kept stays for the graph
    // that comes back (as the dependents index does, dependents.ts).
    if (tasks.size === 0) return NO_TAGS;
    const before = this.tasks;
    const changed = changedSince(before, tasks);
    const counts = changed === null ? new Map<string, number>() : this.counts;
    let differ = changed === null;
    const count = (tag: string, by: number) => {
      const next = (counts.get(tag) ?? 0) + by;
      if (next === 0 || next === by) differ = true;
      if (next === 0) counts.delete(tag);
      else counts.set(tag, next);
    };
    if (changed === null)
      for (const task of tasks.values()) {
        for (const tag of new Set(task.tags)) count(tag, 1);
        if (due()) yield;
      }
    else
      for (const id of changed) {
        const old = before.get(id);
        const task = tasks.get(id);
        if (old === task || (old && task && sameTags(old.tags, task.tags))) continue;
        for (const tag of new Set(old?.tags)) count(tag, -1);
        for (const tag of new Set(task?.tags)) count(tag, 1);
      }
    this.tasks = tasks;
    this.counts = counts;
    if (differ) this.list = [...counts.keys()].sort();
    return this.list;
  }
}

const sameTags = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((tag, i) => tag === b[i]);
