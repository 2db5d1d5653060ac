import { betterRank, rankedMatches, textMatcher } from '../components/text-match';
import { useMemo } from 'react';
import type { Task } from '../../shared/task';
import type { PickerOption } from '../components/MultiPicker';
import { dependentsIndex } from '../state/dependents';

export interface DependencyOptions {
  options: PickerOption[];
  /**
   * What is wrong with text left in the box (it is not a dependency until picked), in one plain sentence: no task
   * matches, or the task it names cannot be chosen and why, or that one of the matches is still to be picked.
   */
  problemOf: (text: string, chosen: readonly string[]) => string;
}

/**
 * The tasks "Depends on" offers: every task but this one and those that depend on it (choosing one of those would
 * close a loop). A task left out is not silently missing: typed for, it is named with the reason.
 */
export function useDependencyOptions(tasks: ReadonlyMap<string, Task>, self: string | null): DependencyOptions {
  return useMemo(() => {
    const excluded = new Set<string>();
    if (self) {
      const dependents = dependentsIndex(tasks);
      const queue = [self];
      for (let i = 0; i < queue.length; i++) {
        const id = queue[i] as string;
        if (excluded.has(id)) continue;
        excluded.add(id);
        queue.push(...(dependents.get(id) ?? []));
      }
    }
    const options: PickerOption[] = [];
    for (const task of tasks.values()) if (!excluded.has(task.id)) options.push({ value: task.id, label: task.title, detail: task.id });
    const problemOf = (text: string, chosen: readonly string[]) => {
      const typed = text.trim();
      // As the picker's list finds them (textMatcher), so Save never says "no task matches" what the list offered.
      const finds = textMatcher(typed);
      const rank = (task: Task) => (finds ? betterRank(finds(task.id), finds(task.title)) : null);
      const exact = tasks.get(typed);
      const pickable = (task: Task) => !excluded.has(task.id) && !chosen.includes(task.id);
      // The task meant: the one whose id was typed, else the best match. Save names it, unless it, or one matching as
      // well, can still be picked: the list offers it first.
      const meant = exact ?? rankedMatches(tasks.values(), rank, 1).matches[0];
      if (!meant) return `no task matches '${typed}'`;
      const best = exact ? null : rank(meant);
      if (pickable(meant) || [...tasks.values()].some((task) => pickable(task) && best !== null && rank(task) === best)) {
        return `'${typed}' is not chosen yet: pick it from the list, or clear the box`;
      }
      if (chosen.includes(meant.id)) return `${meant.id} is chosen already`;
      if (meant.id === self) return 'a task cannot depend on itself';
      return `${meant.id} depends on this task; it cannot also be before it`;
    };
    return { options, problemOf };
  }, [tasks, self]);
}
