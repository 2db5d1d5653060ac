import type { ExecutorProfile, Settings } from './config-types';
import {
  awaitsMerge,
  coordinatorSystemTask,
  isSystemTaskId,
  runsAsAgentTask,
  STARTABLE_STATUSES,
  startsAtMs,
  statusLetsGo,
  TERMINAL_STATUSES,
  type TaskSummary,
} from './task';
import { readWaitSpec } from './wait-condition';

/*
 * "Needs you": the states only a person can move on, said once for every face (the first view, the Board's Needs you
 * column, the chips, the tray, desktop notifications, `wg status`, `wg list --needs-you`, the agent daemons' view).
 * Each kind says in plain words what the person is to do, and which command or button does it.
 */

const NEEDS_YOU_KINDS = ['reply', 'approve', 'do', 'evaluate', 'unblock', 'merge'] as const;
export type NeedsYouKind = (typeof NEEDS_YOU_KINDS)[number];

export interface NeedsYou {
  kind: NeedsYouKind;
  /** A card's line: what the task waits for ("waits for your reply"). */
  label: string;
  /** What the person is to do, as a sentence with the command that does it. */
  todo: string;
}

/** What of a task the rules read. */
export type NeedsYouTask = Pick<TaskSummary, 'id' | 'status' | 'extra' | 'executor' | 'exec' | 'after'>;

/**
 * The tasks that may start now, by the store's rule in short: startable, not paused, due, their dependencies letting
 * them go (statusLetsGo). Enough for "a manual task is ready"; the coordinator's own dispatch reads the store's.
 */
export function readyNow(tasks: Iterable<NeedsYouTask & Pick<TaskSummary, 'paused' | 'not_before'>>, now: number): Set<string> {
  const list = [...tasks];
  const status = new Map(list.map((t) => [t.id, t.status]));
  const ready = new Set<string>();
  for (const task of list) {
    if (!STARTABLE_STATUSES.includes(task.status) || task.paused || startsAtMs(task) > now) continue;
    if (task.after.every((dep) => statusLetsGo(status.get(dep) ?? 'open', dep, task.id))) ready.add(task.id);
  }
  return ready;
}

/** A task as `wg list` and `wg ready` give it: with the person's part in it, when it has one. */
export type Listed<T extends TaskSummary> = T & { needs_you?: NeedsYou };

/** What a task alone does not say: how the project is set up and what the rest of the graph does. */
export interface NeedsYouFacts {
  /** Whether this open task may start now: its dependencies let it go, it is not paused, and it is due. */
  ready(task: NeedsYouTask): boolean;
  /** Whether a person does this task (its executor is manual, or it names none and the default is). */
  manual(task: NeedsYouTask): boolean;
  /**
   * Whether something will evaluate this task pending evaluation by itself: the coordinator's evaluation gate
   * (`[agency] auto_evaluate`), or upstream's `.evaluate-X` for it, not ended.
   */
  evaluated(task: NeedsYouTask): boolean;
  /** How many unfinished tasks wait on this one (directly; upstream's system tasks not counted). */
  waitingOn(task: NeedsYouTask): number;
}

/** The person's part in this task now, or null when it is not theirs to move. */
export function needsYou(task: NeedsYouTask, facts: NeedsYouFacts): NeedsYou | null {
  const id = task.id;
  // `.merge-X` (X marked done without its merge): only a person merges it, whatever its own status says.
  if (awaitsMerge(task))
    return { kind: 'merge', label: 'done; not merged', todo: `merge its work, then finish it (\`wg show ${id}\` says how)` };
  switch (task.status) {
    case 'waiting':
      return waitsForPerson(task)
        ? { kind: 'reply', label: 'waits for your reply', todo: `\`wg msg send ${id} "…"\` replies and releases the wait` }
        : null;
    case 'pending-validation':
      return {
        kind: 'approve',
        label: 'awaits your approval',
        todo: `approve its work (\`wg approve ${id}\`) or reject it with what to change (\`wg reject ${id} --reason "…"\`)`,
      };
    case 'pending-eval':
    case 'failed-pending-eval':
      return facts.evaluated(task)
        ? null
        : {
            kind: 'evaluate',
            label: 'no evaluation will run',
            todo: `evaluate it (\`wg evaluate run ${id}\`), record a score (\`wg evaluate record --task ${id} --score 0.9\`) or skip the evaluation (\`wg approve ${id}\`)`,
          };
    case 'failed': {
      const held = facts.waitingOn(task);
      if (held === 0) return null;
      return {
        kind: 'unblock',
        label: `failed; ${held} ${held === 1 ? 'task waits' : 'tasks wait'} on it`,
        todo: `retry it (\`wg retry ${id}\`) or abandon it (\`wg abandon ${id}\`) so what waits on it can go on`,
      };
    }
    case 'open':
    case 'incomplete':
      return facts.manual(task) && facts.ready(task)
        ? { kind: 'do', label: 'yours to do', todo: `do it, then mark it done (\`wg done ${id}\`)` }
        : null;
    default:
      return null;
  }
}

/** Parked by `wg wait --until human-input` (alone or beside other conditions): a person's message releases it. */
function waitsForPerson(task: Pick<NeedsYouTask, 'status' | 'extra'>): boolean {
  if (task.status !== 'waiting') return false;
  return readWaitSpec(task.extra)?.conditions.some((c) => c.type === 'human-input') === true;
}

/** What needs-you.ts asks of a project beyond its tasks: who does which executor's work, and whether evaluations run. */
export interface NeedsYouSetup {
  manualExecutors: ReadonlySet<string>;
  /** The coordinator's default executor is manual: tasks that name none are a person's too. */
  defaultIsManual: boolean;
  /** `[agency] auto_evaluate`: the coordinator evaluates what its gate holds. */
  autoEvaluate: boolean;
}

export function needsYouSetup(
  settings: { coordinator: Pick<Settings['coordinator'], 'executor'>; agency: Pick<Settings['agency'], 'auto_evaluate'> },
  profiles: readonly Pick<ExecutorProfile, 'name' | 'type'>[],
): NeedsYouSetup {
  const manual = new Set(profiles.filter((p) => p.type === 'manual').map((p) => p.name));
  // The built-in manual executors, where the profiles were not read (config.toml unreadable).
  for (const builtin of ['manual', 'pilot']) if (!profiles.some((p) => p.name === builtin)) manual.add(builtin);
  return {
    manualExecutors: manual,
    defaultIsManual: manual.has(settings.coordinator.executor),
    autoEvaluate: settings.agency.auto_evaluate,
  };
}

/** The facts of one look at the whole graph: `ready`, the ids that may start now. */
export function needsYouFacts(tasks: Iterable<NeedsYouTask>, ready: ReadonlySet<string>, setup: NeedsYouSetup): NeedsYouFacts {
  const waiting = new Map<string, number>();
  const unendedEvaluations = new Set<string>();
  for (const task of tasks) {
    if (TERMINAL_STATUSES.includes(task.status)) continue;
    // Upstream's `.evaluate-X` after a failed X is its bookkeeping, not work waiting on X.
    if (!isSystemTaskId(task.id)) for (const dep of task.after) waiting.set(dep, (waiting.get(dep) ?? 0) + 1);
    if (task.id.startsWith('.evaluate-')) unendedEvaluations.add(task.id.slice('.evaluate-'.length));
  }
  return {
    ready: (task) => ready.has(task.id),
    manual: (task) => {
      // Upstream's system tasks this app does not run (it runs .assign/.evaluate/.flip, and starts .verify) are a person's.
      if (isSystemTaskId(task.id)) return !runsAsAgentTask(task.id) && coordinatorSystemTask(task.id) === null;
      if (task.executor) return setup.manualExecutors.has(task.executor);
      // A shell command with no executor named runs as one (upstream's exec), whatever the default.
      return task.exec === null && setup.defaultIsManual;
    },
    evaluated: (task) => setup.autoEvaluate || unendedEvaluations.has(task.id),
    waitingOn: (task) => waiting.get(task.id) ?? 0,
  };
}

/** Every task of `tasks` a person is to move on, in their order, with what they are to do. */
export function tasksNeedingYou<T extends NeedsYouTask>(tasks: Iterable<T>, facts: NeedsYouFacts): Array<{ task: T; needs: NeedsYou }> {
  const found: Array<{ task: T; needs: NeedsYou }> = [];
  for (const task of tasks) {
    const needs = needsYou(task, facts);
    if (needs) found.push({ task, needs });
  }
  return found;
}
