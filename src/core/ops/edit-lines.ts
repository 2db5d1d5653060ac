import type { Task } from '../../shared/task';
import { stringListOf } from '../graph/analysis/task-index';

/** The flags of `wg edit` whose change upstream's edit names in a line of its own. */
export interface EditedFlags {
  title?: string;
  description?: string;
  addAfter?: readonly string[];
  removeAfter?: readonly string[];
  addTag?: readonly string[];
  removeTag?: readonly string[];
  model?: string | null;
  provider?: string;
  addSkill?: readonly string[];
  removeSkill?: readonly string[];
  visibility?: string;
  delay?: string;
  notBefore?: string;
  cron?: string;
}

/** Each item of a list flag: its line when it changes the list, or upstream's note when it changes nothing. */
function listLines(
  list: string[],
  adds: readonly string[] | undefined,
  removes: readonly string[] | undefined,
  words: { added: string; there: string; removed: string; absent: string },
): string[] {
  const lines: string[] = [];
  for (const item of adds ?? []) {
    if (list.includes(item)) lines.push(`${words.there}: ${item}`);
    else {
      list.push(item);
      lines.push(`${words.added}: ${item}`);
    }
  }
  for (const item of removes ?? []) {
    const at = list.indexOf(item);
    if (at < 0) lines.push(`${words.absent}: ${item}`);
    else {
      list.splice(at, 1);
      lines.push(`${words.removed}: ${item}`);
    }
  }
  return lines;
}

/**
 * What upstream's `wg edit` prints before its "Task 'X' updated successfully" (or "No changes made to task 'X'"): a
 * line for each change and for each list item that changes nothing, in its run's order and words ("Updated title:
 * …", "Added after: …", "Already has tag: …", "Set not_before: … (delay 1h)", …), then what a new dependency undid
 * (the task's assignment). `after`: the task as saved (null when nothing was); `abandonedAssignment`: the
 * assignment task the edit abandoned. This app's own flags (priority, executor, …) have no line, as upstream has
 * none of them.
 */
export function editLines(before: Task, after: Task | null, flags: EditedFlags, abandonedAssignment: string | null): string[] {
  const lines: string[] = [];
  if (flags.title !== undefined) lines.push(`Updated title: ${flags.title}`);
  if (flags.description !== undefined) lines.push('Updated description');
  const dependencies = [...before.after];
  lines.push(
    ...listLines(dependencies, flags.addAfter, flags.removeAfter, {
      added: 'Added after',
      there: 'Already blocked by',
      removed: 'Removed after',
      absent: 'Not blocked by',
    }),
  );
  lines.push(
    ...listLines([...before.tags], flags.addTag, flags.removeTag, {
      added: 'Added tag',
      there: 'Already has tag',
      removed: 'Removed tag',
      absent: 'Does not have tag',
    }),
  );
  if (typeof flags.model === 'string') lines.push(`Updated model: ${flags.model}`);
  if (flags.provider !== undefined) lines.push(`Updated provider: ${flags.provider}`);
  lines.push(
    ...listLines(stringListOf(before, 'skills'), flags.addSkill, flags.removeSkill, {
      added: 'Added skill',
      there: 'Already has skill',
      removed: 'Removed skill',
      absent: 'Does not have skill',
    }),
  );
  if (after === null) return lines;
  if (flags.visibility !== undefined) lines.push(`Updated visibility: ${flags.visibility}`);
  if (flags.delay !== undefined) lines.push(`Set not_before: ${after.not_before} (delay ${flags.delay})`);
  else if (flags.notBefore !== undefined) lines.push(`Set not_before: ${flags.notBefore}`);
  if (flags.cron === '') lines.push('Cleared cron schedule');
  else if (flags.cron !== undefined) lines.push(`Set cron schedule: ${flags.cron} (next fire: ${after.not_before ?? 'unknown'})`);
  const spawnFailures = before.extra.spawn_failures;
  if (typeof spawnFailures === 'number' && spawnFailures > 0) lines.push('Reset spawn failure counter');
  if (abandonedAssignment !== null) lines.push(`Abandoned assignment task '${abandonedAssignment}' (dependencies changed)`);
  const added = dependencies.some((dep) => !before.after.includes(dep));
  if (added && before.agent !== null && after.agent === null) {
    lines.push('Cleared agent assignment (dependencies changed, will re-assign when ready)');
  }
  return lines;
}
