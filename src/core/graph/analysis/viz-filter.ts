import { ALWAYS_SHOWN_TAGS, isInternalTask, type Task, type TaskStatus } from '../../../shared/task';

export interface VizFilter {
  /** Show only the connected parts holding these tasks. */
  focus?: readonly string[];
  /** Every part, finished ones too. */
  all?: boolean;
  status?: TaskStatus;
  /** Every one of these tags (AND). */
  tags?: readonly string[];
  /** Upstream's system tasks (.assign-…, .evaluate-…), hidden by default. */
  showInternal?: boolean;
}

/** The status words `wg viz --status` matches (upstream folds pending-validation into waiting). */
const STATUS_WORD: Record<TaskStatus, string> = {
  open: 'open',
  'in-progress': 'in-progress',
  done: 'done',
  blocked: 'blocked',
  failed: 'failed',
  abandoned: 'abandoned',
  waiting: 'waiting',
  'pending-validation': 'waiting',
  'pending-eval': 'pending-eval',
  'failed-pending-eval': 'failed-pending-eval',
  incomplete: 'incomplete',
};

/** Weakly connected parts of the graph: each task's id → the id of its part's representative. */
export function componentsOf(tasks: readonly Task[]): Map<string, string> {
  const parent = new Map<string, string>(tasks.map((t) => [t.id, t.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    for (let node = id; node !== root; ) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const task of tasks) {
    for (const dep of task.after) if (parent.has(dep)) parent.set(find(dep), find(task.id));
  }
  return new Map(tasks.map((t) => [t.id, find(t.id)]));
}

/**
 * Which tasks `wg viz` draws (upstream): by default the connected parts that still hold
 * active work, without abandoned tasks; `--all` everything; `--status` one status; focus ids their
 * parts. Then the tag filter, and system tasks only with `--show-internal`.
 */
/** Upstream's is_internal_task: an internal system task, or one tagged as an assignment or evaluation (older graphs' `assign-X`). */
function vizHides(task: Task): boolean {
  if (task.tags.some((tag) => ALWAYS_SHOWN_TAGS.includes(tag))) return false;
  return isInternalTask(task) || task.tags.includes('assignment') || task.tags.includes('evaluation');
}

export function tasksToDraw(tasks: readonly Task[], filter: VizFilter): Task[] {
  const visible = filter.showInternal ? tasks : tasks.filter((t) => !vizHides(t));
  const part = componentsOf(visible);
  const focusParts = new Set((filter.focus ?? []).map((id) => part.get(id)).filter((p): p is string => p !== undefined));
  const activeParts = new Set(visible.filter((t) => t.status !== 'done' && t.status !== 'abandoned').map((t) => part.get(t.id) as string));
  const wanted = (task: Task): boolean => {
    if ((filter.focus ?? []).length > 0) return focusParts.has(part.get(task.id) as string);
    if (filter.all) return true;
    if (filter.status) return task.status === filter.status || STATUS_WORD[task.status] === filter.status;
    return task.status !== 'abandoned' && activeParts.has(part.get(task.id) as string);
  };
  const tags = filter.tags ?? [];
  return visible.filter((task) => wanted(task) && tags.every((tag) => task.tags.includes(tag)));
}
