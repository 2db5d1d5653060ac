import { executorNameFor } from '../../shared/executor-name';
import { needsYou, type NeedsYou, type NeedsYouFacts, type NeedsYouKind } from '../../shared/needs-you';
import {
  AWAITING_EVALUATION as AWAITING_EVALUATION_STATUSES,
  coordinatorSystemTask,
  isSystemTaskId,
  runsAsAgentTask,
  startsAtMs,
  statusLetsGo,
  TERMINAL_STATUSES,
  type Task,
} from '../../shared/task';
import { neverDue, type Steps, toEnd } from '../../shared/steps';
import { failedUpstream, failedUpstreamSteps, type Hold, holdOf, holdWords } from '../../shared/task-hold';
import { describeWaitSpec, readWaitSpec } from '../../shared/wait-condition';
import { userLocales } from '../components/format';
import { plainText } from '../output/plain-text';
import { blockedByFailed } from './blocked-by-failed';
import { KeptDependents } from '../state/dependents';
import { changedKeys, recordChanges } from '../state/task-changes';
import { dependentsClosure } from './dependents-index';

/**
 * What a task is doing or waiting for, as a person asks it: finer than its status. An open task
 * is ready, waiting on a dependency, blocked for good by a failed task upstream, waiting for a
 * person (manual executor), for its time (scheduled) or held (paused).
 */
export const STATE_KINDS = [
  'running',
  'evaluating',
  'ready',
  'waiting',
  'needs-you',
  'scheduled',
  'paused',
  'failed',
  'blocked',
  'done',
  'abandoned',
] as const;
export type StateKind = (typeof STATE_KINDS)[number];

/**
 * The states most urgent first: what needs a person or went wrong, what runs, what is on its way, finished work
 * last. A cluster writes its counts in this order, and the toolbar keeps its chips in view in it.
 */
export const BY_URGENCY: readonly StateKind[] = [
  'needs-you',
  'failed',
  'running',
  'blocked',
  'evaluating',
  'ready',
  'scheduled',
  'paused',
  'waiting',
  'done',
  'abandoned',
];

export const STATE_LABELS: Record<StateKind, string> = {
  running: 'running',
  evaluating: 'evaluating',
  ready: 'ready',
  waiting: 'waiting',
  'needs-you': 'needs you',
  scheduled: 'scheduled',
  paused: 'paused',
  failed: 'failed',
  blocked: 'blocked',
  done: 'done',
  abandoned: 'abandoned',
};

export interface TaskState {
  kind: StateKind;
  /** The line a card shows, e.g. "waiting on Design the schema (+2 more)". */
  text: string;
  /** A running task that was paused: it finishes, and will not be started again. */
  held?: boolean;
  /** What the person is to do, when a person's part moves it on (shared/needs-you.ts): the action the card offers. */
  needs?: NeedsYouKind;
  /** What went wrong, beside the state's words where the state does not say it (a failed task others wait on). */
  detail?: string;
}

export interface StateContext {
  tasks: ReadonlyMap<string, Task>;
  /** Executor profile names of the manual type (a person does the task). */
  manualExecutors: ReadonlySet<string>;
  /** The coordinator's default executor is manual: tasks without an executor need a person too. */
  defaultIsManual: boolean;
  /** Nothing starts while the coordinator is paused or not running: "ready" says so. */
  coordinatorIdle: boolean;
  /**
   * Ready tasks the coordinator cannot hand to any connected agent daemon, with its own line for why
   * ("waiting for an agent daemon with repo acme/app"): agentd:status, the dispatcher's one source.
   */
  remoteWaiting?: ReadonlyMap<string, string>;
  /**
   * What the coordinator's machine lacks for a start (the agent CLI, a first commit), by the executor whose ready tasks
   * wait for it (service:status `waiting`), with the coordinator's default executor, for tasks that name none.
   */
  startWaits?: { byExecutor: ReadonlyMap<string, string>; defaultExecutor: string };
  /** Running tasks whose agent asked the person something nobody answered yet, with the question (agent-questions.ts). */
  questions?: ReadonlyMap<string, string>;
  /** Per open task, the failed task upstream that holds it for good (failedUpstream); computed when absent. */
  failedRoots?: ReadonlyMap<string, string>;
  /** Per open task failedUpstream entered, its unfinished dependencies (read there, not again here). */
  blockers?: ReadonlyMap<string, readonly string[]>;
  /** The states of held tasks said alike, made once for all of them (most of a plan behind one failure says the same). */
  said?: SaidHolds;
  /** The tasks whose `.evaluate-X` runs, kept by TaskStates (looked up in `tasks` when absent). */
  evaluating?: ReadonlySet<string>;
  /** The tasks that have an `.assign-X`, kept by TaskStates (looked up in `tasks` when absent). */
  assigned?: ReadonlySet<string>;
  /**
   * The settings' `[agency] auto_evaluate`: the coordinator evaluates what awaits an evaluation. Off (or unknown), a task
   * pending evaluation with no upstream `.evaluate-X` still to run is the person's to evaluate.
   */
  autoEvaluate?: boolean;
  /** The tasks whose upstream `.evaluate-X` has not ended, kept by TaskStates (looked up in `tasks` when absent). */
  evaluations?: ReadonlySet<string>;
  /** For each task, the tasks that list it in `after` (the dependents index), kept by TaskStates (read from `tasks` when absent). */
  readers?: ReadonlyMap<string, readonly string[]>;
  now: number;
}

/**
 * One state object for the held tasks that say the same ("blocked by failed Migrate the data"),
 * kept for one look at a graph (the titles it names are that graph's).
 */
class SaidHolds {
  /** By the first task a hold names: the last state said of it, whether it names failed tasks, and how many. */
  private readonly said = new Map<string, { failed: boolean; count: number; state: TaskState }>();

  state(kind: 'blocked' | 'waiting', hold: Hold, tasks: ReadonlyMap<string, Task>): TaskState {
    const failed = hold.failed.length > 0;
    const named = failed ? hold.failed : hold.blockers;
    const first = named[0] as string;
    const known = this.said.get(first);
    if (known && known.failed === failed && known.count === named.length && known.state.kind === kind) return known.state;
    const state: TaskState = { kind, text: holdWords(hold, tasks) };
    this.said.set(first, { failed, count: named.length, state });
    return state;
  }
}

const REASON_MAX = 80;

// The states every task of a status says alike: one object each, not one per task (a plan of 50,000 is mostly done).
const RUNNING: TaskState = { kind: 'running', text: 'running' };
const RUNNING_HELD: TaskState = { kind: 'running', text: 'running; will not start again', held: true };
const AWAITING_EVALUATION: TaskState = { kind: 'evaluating', text: 'done; awaiting evaluation' };
const EVALUATION_DECIDES: TaskState = { kind: 'evaluating', text: 'stopped; an evaluation decides' };
const AWAITING_VALIDATION: TaskState = { kind: 'evaluating', text: 'awaiting validation' };
const DONE: TaskState = { kind: 'done', text: 'done' };
const BEING_EVALUATED: TaskState = { kind: 'evaluating', text: 'done; being evaluated' };
const MARKED_BLOCKED: TaskState = { kind: 'waiting', text: 'blocked (marked so)' };

export function taskState(task: Task, context: StateContext): TaskState {
  if (task.status === 'in-progress') {
    // An agent waiting on the person's answer needs them as much as a manual task does: it is with those.
    const question = context.questions?.get(task.id);
    if (question !== undefined) return { kind: 'needs-you', text: `asks you: ${shortReason(question)}` };
    return task.paused ? RUNNING_HELD : RUNNING;
  }
  // What only a person moves on (a reply, an approval, an evaluation nothing runs, a failure others wait on, a merge),
  // as every face says it (shared/needs-you.ts). An open task is the person's only once nothing else holds it: openState.
  if (task.status !== 'open' && task.status !== 'incomplete') {
    const yours = needsYou(task, factsOf(context));
    if (yours) return yourPart(task, yours);
  }
  switch (task.status) {
    case 'pending-eval':
      return AWAITING_EVALUATION;
    case 'failed-pending-eval':
      return EVALUATION_DECIDES;
    case 'pending-validation':
      return AWAITING_VALIDATION;
    case 'done':
      // Upstream's `.evaluate-X` running after X: X's work is being judged (the system task itself is folded away).
      return beingEvaluated(task.id, context) ? BEING_EVALUATED : DONE;
    case 'failed':
      return { kind: 'failed', text: task.failure_reason ? `failed: ${failureWords(task.failure_reason)}` : 'failed' };
    case 'abandoned':
      return { kind: 'abandoned', text: task.failure_reason ? `abandoned: ${shortReason(task.failure_reason)}` : 'abandoned' };
    case 'blocked':
      return MARKED_BLOCKED;
    case 'waiting': {
      // Parked by `wg wait`: its condition in words; the coordinator starts it again once that holds.
      const spec = readWaitSpec(task.extra);
      return { kind: 'waiting', text: spec ? `waiting ${describeWaitSpec(spec)}` : 'waiting for an outside event' };
    }
    case 'open':
    case 'incomplete':
      return openState(task, context);
  }
}

/** A task the person moves on: the shared words for it, and a failure's reason beside them (the card shows both). */
function yourPart(task: Task, yours: NeedsYou): TaskState {
  const detail =
    yours.kind === 'unblock' && task.failure_reason
      ? failureWords(task.failure_reason)
      : yours.kind === 'reply'
        ? otherWaits(task)
        : undefined;
  return { kind: 'needs-you', text: yours.label, needs: yours.kind, ...(detail ? { detail } : {}) };
}

/** A wait that a reply releases but something else may too (`--until "task:ui=done|human-input"`): its condition in words. */
function otherWaits(task: Task): string | undefined {
  const spec = readWaitSpec(task.extra);
  return spec && spec.conditions.length > 1 ? `waiting ${describeWaitSpec(spec)}` : undefined;
}

/**
 * What needs-you.ts asks of the graph, answered from the state's context. Not asked for an open task: openState
 * decides whether it is ready and done by a person by the window's own rules (its hold, its time, its executor).
 */
function factsOf(context: StateContext): NeedsYouFacts {
  return {
    ready: () => false,
    manual: () => false,
    evaluated: (task) => context.autoEvaluate === true || evaluationPending(task.id, context),
    waitingOn: (task) => waitingOn(task, context),
  };
}

/** Whether an upstream `.evaluate-X` for the task is there and not ended: it decides, not the person. */
function evaluationPending(id: string, context: StateContext): boolean {
  if (context.evaluations) return context.evaluations.has(id);
  const evaluation = context.tasks.get(`.evaluate-${id}`);
  return evaluation !== undefined && !TERMINAL_STATUSES.includes(evaluation.status);
}

/** How many unfinished tasks wait on this one directly (its own `.evaluate-X`, which a failure lets go, aside). */
function waitingOn(task: Pick<Task, 'id' | 'status'>, context: StateContext): number {
  const readers = context.readers?.get(task.id) ?? [...context.tasks.values()].filter((t) => t.after.includes(task.id)).map((t) => t.id);
  let count = 0;
  for (const id of readers) {
    const reader = context.tasks.get(id);
    if (reader && !TERMINAL_STATUSES.includes(reader.status) && !statusLetsGo(task.status, task.id, id)) count++;
  }
  return count;
}

function openState(task: Task, context: StateContext): TaskState {
  if (task.paused) return { kind: 'paused', text: 'paused' };
  const retry = task.status === 'incomplete' ? ' (another attempt)' : '';
  // Blocked by a failed task upstream, or waiting on its dependencies: the rule `wg show` uses too.
  const roots = context.failedRoots ?? failedUpstream(context.tasks.values(), context.tasks);
  const hold = holdOf(task, context.tasks, roots, context.blockers?.get(task.id));
  // Held only by its own `.assign-X` that can run (upstream makes one before every task): for a person it is ready,
  // the assignment is the coordinator's first step of it.
  // Only an assignment in the graph: one listed but missing holds the task as any missing dependency does.
  const mayAssign = context.assigned ? context.assigned.has(task.id) : context.tasks.has(`.assign-${task.id}`);
  const assignment = hold && mayAssign && ownAssignmentOnly(task, hold, context.tasks, roots);
  if (hold && !assignment) {
    const kind = blockedByFailed(task, roots) ? 'blocked' : 'waiting';
    const said = mayAssign ? withoutOwnAssignment(task, hold) : hold;
    return context.said ? context.said.state(kind, said, context.tasks) : { kind, text: holdWords(said, context.tasks) };
  }
  // Someone's to claim (`wg add --assign alice`): the coordinator starts no agent on it (engine-state.ts), so no
  // missing agent CLI or free slot is what it waits for.
  if (task.assigned) return { kind: 'waiting', text: `waiting for ${task.assigned} to claim it` };
  // Manual executors, and upstream's system tasks this app does not run (its coordinator runs .assign/.evaluate/.flip, and
  // starts .verify like any task), wait for a person.
  const system = isSystemTaskId(task.id) && !runsAsAgentTask(task.id);
  const manual = system
    ? coordinatorSystemTask(task.id) === null
    : task.executor
      ? context.manualExecutors.has(task.executor)
      : context.defaultIsManual;
  // Not due yet comes first, manual or not: `wg ready` leaves it out and `wg show` says when it starts, so no one is
  // asked for it before then. Upstream's ready_after (kept in extra) holds it back like not_before.
  const due = startsAtMs(task);
  if (due > context.now) return { kind: 'scheduled', text: `due ${dueTime(due, context.now)}` };
  if (manual) {
    const yours = needsYou(task, { ...factsOf(context), ready: () => true, manual: () => true });
    if (yours) return yourPart(task, yours);
  }
  const remote = context.remoteWaiting?.get(task.id);
  if (remote && !context.coordinatorIdle) return { kind: 'waiting', text: remote };
  const lacking = context.startWaits?.byExecutor.get(executorNameFor(task, context.startWaits.defaultExecutor));
  // Its sentence up to what to do ("the claude CLI is not installed (or not on PATH)"): the banner says the rest. It
  // needs a person, not time: it starts once someone installs the program (or makes the first commit).
  if (lacking && !context.coordinatorIdle)
    return { kind: 'needs-you', text: `needs you: ${shortReason(lacking.split(': ')[0] ?? lacking)}` };
  if (context.coordinatorIdle) return { kind: 'ready', text: `ready${retry}; starts when the coordinator runs` };
  if (assignment)
    return {
      kind: 'ready',
      text: `ready${retry}; ${assignment === 'running' ? 'an agent is being assigned' : 'an agent is assigned first'}`,
    };
  return { kind: 'ready', text: `ready${retry}` };
}

function beingEvaluated(id: string, context: StateContext): boolean {
  if (context.evaluating) return context.evaluating.has(id);
  return context.tasks.get(`.evaluate-${id}`)?.status === 'in-progress';
}

/** A hold in a person's words names what the task waits for besides its own assignment (that comes first anyway). */
function withoutOwnAssignment(task: Task, hold: Hold): Hold {
  if (hold.blockers.length < 2) return hold;
  const own = `.assign-${task.id}`;
  return hold.blockers.includes(own) ? { ...hold, blockers: hold.blockers.filter((id) => id !== own) } : hold;
}

/**
 * Whether the task waits only on its own assignment (`.assign-X`), and that one is running or free to run: then
 * which. Anything else it waits on, a failure behind it, or an assignment itself held, and it is not.
 */
function ownAssignmentOnly(
  task: Task,
  hold: Hold,
  tasks: ReadonlyMap<string, Task>,
  roots: ReadonlyMap<string, string>,
): 'running' | 'next' | null {
  if (hold.failed.length > 0 || hold.blockers.length !== 1 || hold.blockers[0] !== `.assign-${task.id}`) return null;
  const assign = tasks.get(hold.blockers[0]);
  if (!assign || assign.paused) return null;
  if (assign.status === 'in-progress') return 'running';
  const free = (assign.status === 'open' || assign.status === 'incomplete') && holdOf(assign, tasks, roots) === null;
  return free ? 'next' : null;
}

/** How a run's reason names its exit (failure-reason.ts): "exit code 3: …" before the stderr's line, "… (exit code 3)" after the agent's account. */
const EXIT_PREFIX = /^(?:exit code -?\d+|killed by SIG[A-Z0-9]+|no exit code): (?=\S)/;
const EXIT_SUFFIX = / \((?:exit code -?\d+|killed by SIG[A-Z0-9]+|no exit code)\)$/;

/**
 * A failure reason with its exit status left out, for a card: three lines of it are cut short, and "exit code 3:"
 * took the room of what went wrong ("expected 200, got 503"). The inspector shows the reason whole.
 */
function withoutExitStatus(reason: string): string {
  const first = plainText(reason).split('\n', 1)[0]?.trim() ?? '';
  return first.replace(EXIT_PREFIX, '').replace(EXIT_SUFFIX, '');
}

/** A failure's reason as a card says it: its first line, the exit status left out, cut to fit. */
const failureWords = (reason: string): string => shortReason(withoutExitStatus(reason));

/** The first line of a reason, as plain text (a run's colour codes left out), cut to fit on a card. */
function shortReason(reason: string): string {
  const line = plainText(reason).split('\n', 1)[0]?.trim() ?? '';
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}

/** "09:00" today, "Tue 09:00" within a week, else the date, with its year when not this year's ("Jan 5, 2028"). */
function dueTime(due: number, now: number): string {
  const date = new Date(due);
  const locales = userLocales();
  const time = date.toLocaleTimeString(locales, { hour: '2-digit', minute: '2-digit' });
  const sameDay = new Date(now).toDateString() === date.toDateString();
  if (sameDay) return time;
  if (due - now < 6 * 86_400_000) return `${date.toLocaleDateString(locales, { weekday: 'short' })} ${time}`;
  // "Jan 1" alone read as the next Jan 1 for a task due in 2099.
  const otherYear = date.getFullYear() !== new Date(now).getFullYear();
  return date.toLocaleDateString(locales, { month: 'short', day: 'numeric', ...(otherYear ? { year: 'numeric' } : {}) });
}

/** What a state depends on besides the graph. */
type Setting = Omit<StateContext, 'tasks' | 'failedRoots'>;

/**
 * Every task's state, kept from one graph to the next: only the tasks that changed and those that
 * depend on them, directly or further down (a failure upstream blocks them all), are looked at
 * again, and the others keep their objects, so memoised cards skip them. The first graph is the
 * same work from nothing: every task changed. A change of setting looks again at the tasks it can
 * change (when time passes, the scheduled ones; a daemon's waiting list, the tasks on it).
 */
export class TaskStates {
  private tasks: ReadonlyMap<string, Task> = new Map();
  private states: ReadonlyMap<string, TaskState> = new Map();
  private setting: Setting | null = null;
  /** Per open task, the failed task upstream that holds it for good (failedUpstream), kept like the states. */
  private roots = new Map<string, string>();
  private readonly scheduled = new Set<string>();
  /** The tasks whose `.evaluate-X` runs, and those with an `.assign-X` (sets, not look-ups per task: most plans have none). */
  private readonly evaluating = new Set<string>();
  /** The tasks whose `.evaluate-X` has not ended: it, not the person, evaluates them. */
  private readonly evaluations = new Set<string>();
  private readonly assigned = new Set<string>();

  /** `dependents`: the index the window keeps of the same graph (one build of it, not one here and one there). */
  constructor(private readonly dependents: KeptDependents = new KeptDependents()) {}

  /** Every task's state for `context`, worked out at once (steps, run to the end). */
  compute(context: Omit<StateContext, 'failedRoots'>): ReadonlyMap<string, TaskState> {
    return toEnd(this.steps(context, neverDue));
  }

  /**
   * The same work as steps (shared/steps.ts), pausing between two tasks where `due` says so: a plan of 50,000 tasks
   * read from nothing took the window's thread for most of a second. Until they end, no other steps of this object
   * are to run (they carry on from what these leave), and the states answered before are the last whole ones.
   */
  *steps(context: Omit<StateContext, 'failedRoots'>, due: () => boolean): Steps<ReadonlyMap<string, TaskState>> {
    const { tasks } = context;
    const setting: Setting = {
      manualExecutors: context.manualExecutors,
      defaultIsManual: context.defaultIsManual,
      coordinatorIdle: context.coordinatorIdle,
      remoteWaiting: context.remoteWaiting,
      startWaits: context.startWaits,
      questions: context.questions,
      autoEvaluate: context.autoEvaluate,
      now: context.now,
    };
    const before = this.setting;
    this.setting = setting;
    // Time going back (a clock set back) reads every task again: the scheduled ones are kept only going forward.
    const everything = before === null || setting.now < before.now;
    const previousTasks = this.tasks;
    const changed = yield* this.replace(tasks, everything, due);
    // Their own state only: a task's place on a daemon's waiting list, its time or how it is run is read by no other task.
    const own = new Set<string>();
    if (!everything && before.now !== setting.now) for (const id of this.scheduled) own.add(id);
    if (!everything && before.remoteWaiting !== setting.remoteWaiting) {
      for (const id of before.remoteWaiting?.keys() ?? []) own.add(id);
      for (const id of setting.remoteWaiting?.keys() ?? []) own.add(id);
    }
    if (!everything && before.questions !== setting.questions) {
      for (const id of before.questions?.keys() ?? []) own.add(id);
      for (const id of setting.questions?.keys() ?? []) own.add(id);
    }
    if (
      !everything &&
      (!sameSet(before.manualExecutors, setting.manualExecutors) ||
        before.defaultIsManual !== setting.defaultIsManual ||
        before.coordinatorIdle !== setting.coordinatorIdle ||
        before.startWaits !== setting.startWaits)
    ) {
      // How a task is run, whether the coordinator runs and what a start lacks are read only once nothing holds it (openState):
      // by the tasks ready, needing a person or scheduled, and those on a daemon's waiting list.
      for (const [id, state] of this.states) {
        if (due()) yield;
        if (READS_SETTING.has(state.kind)) own.add(id);
      }
      for (const id of before.remoteWaiting?.keys() ?? []) own.add(id);
      for (const id of setting.remoteWaiting?.keys() ?? []) own.add(id);
    }
    // Whether the coordinator evaluates decides whether a task awaiting an evaluation is the person's to evaluate.
    if (!everything && before.autoEvaluate !== setting.autoEvaluate)
      for (const [id, task] of tasks) {
        if (due()) yield;
        if (AWAITING_EVALUATION_STATUSES.includes(task.status)) own.add(id);
      }
    // A failed task says how many unfinished tasks wait on it: looked at again when one of those comes, goes or ends.
    if (!everything)
      for (const id of changed) {
        if (due()) yield;
        for (const version of [previousTasks.get(id), tasks.get(id)])
          for (const dependency of version?.after ?? []) if (tasks.get(dependency)?.status === 'failed') own.add(dependency);
      }
    // A done task says whether its `.evaluate-X` runs (taskState): looked at again when that one changes.
    if (everything) {
      this.evaluating.clear();
      this.evaluations.clear();
      this.assigned.clear();
      for (const [id, task] of tasks) {
        if (due()) yield;
        const system = isSystemTaskId(id) ? coordinatorSystemTask(id) : null;
        if (system) this.noteSystemTask(system, task);
      }
    } else
      for (const id of changed) {
        if (due()) yield;
        const system = coordinatorSystemTask(id);
        if (!system) continue;
        this.noteSystemTask(system, tasks.get(id));
        if (system.kind === 'evaluate' && tasks.has(system.target)) own.add(system.target);
      }
    if (!everything && changed.length === 0 && own.size === 0) return this.states;

    const readers = this.dependents.update(tasks);
    const reached = everything || changed.length >= tasks.size ? null : yield* dependentsClosure(changed, readers, due);
    // Most of the graph (a reload, a change at the head of the plan): looked at whole, the same work as from nothing.
    const affected = reached && reached.size * 2 <= tasks.size ? reached : null;
    // The walk enters only the affected tasks, in the graph's order (where a loop is entered decides its roots, as from nothing).
    if (affected !== null) for (const id of affected) this.roots.delete(id);
    const blockers = new Map<string, readonly string[]>();
    const found = yield* failedUpstreamSteps(
      affected ? among(tasks, affected) : tasks.values(),
      tasks,
      affected ? { settled: (id) => !affected.has(id), roots: this.roots } : undefined,
      blockers,
      due,
    );
    if (affected === null) this.roots = found;
    else for (const [id, root] of found) this.roots.set(id, root);

    const previous = this.states;
    const next = new Map(affected === null ? [] : previous);
    const withRoots: StateContext = {
      ...context,
      failedRoots: this.roots,
      blockers,
      said: new SaidHolds(),
      evaluating: this.evaluating,
      evaluations: this.evaluations,
      assigned: this.assigned,
      readers,
    };
    const look = (id: string) => {
      const task = tasks.get(id);
      if (!task) {
        next.delete(id);
        this.scheduled.delete(id);
        return;
      }
      const state = taskState(task, withRoots);
      const old = previous.get(id);
      next.set(id, old && sameState(old, state) ? old : state);
      if (state.kind === 'scheduled') this.scheduled.add(id);
      else this.scheduled.delete(id);
    };
    if (affected === null) {
      // The whole graph: each task once, in its order; the tasks gone are simply not in the new map.
      this.scheduled.clear();
      for (const [id, task] of tasks) {
        if (due()) yield;
        const state = taskState(task, withRoots);
        const old = previous.get(id);
        next.set(id, old && sameState(old, state) ? old : state);
        if (state.kind === 'scheduled') this.scheduled.add(id);
      }
    } else {
      for (const id of affected) {
        if (due()) yield;
        look(id);
      }
      for (const id of own) {
        if (due()) yield;
        if (!affected.has(id)) look(id);
      }
    }
    recordChanges(previous, next, affected === null ? null : [...affected, ...own]);
    this.states = next;
    return next;
  }

  /** What a system task tells of its task: an `.evaluate-X` running, an `.assign-X` there (`task` undefined: gone). */
  private noteSystemTask({ kind, target }: NonNullable<Awaited<ReturnType<typeof coordinatorSystemTask>>>, task: Task | undefined): void {
    if (kind === 'evaluate') {
      if (task?.status === 'in-progress') this.evaluating.add(target);
      else this.evaluating.delete(target);
      if (task && !TERMINAL_STATUSES.includes(task.status)) this.evaluations.add(target);
      else this.evaluations.delete(target);
    } else if (kind === 'assign') {
      if (task) this.assigned.add(target);
      else this.assigned.delete(target);
    }
  }

  /** Takes the new graph; the ids of the tasks added, replaced or removed (none listed when `everything` is looked at). */
  private *replace(tasks: ReadonlyMap<string, Task>, everything: boolean, due: () => boolean): Steps<string[]> {
    const before = this.tasks;
    this.tasks = tasks;
    if (everything) return [];
    const changed: string[] = [];
    for (const id of changedKeys(before, tasks)) {
      if (due()) yield;
      if (before.get(id) !== tasks.get(id)) changed.push(id);
    }
    return changed;
  }
}

/** The tasks of `ids`, in the graph's order. */
function* among(tasks: ReadonlyMap<string, Task>, ids: ReadonlySet<string>): Generator<Task> {
  for (const task of tasks.values()) if (ids.has(task.id)) yield task;
}

/** The kinds a task's state has when the setting may change it (see openState). */
const READS_SETTING: ReadonlySet<StateKind> = new Set<StateKind>(['ready', 'needs-you', 'scheduled']);

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a === b || (a.size === b.size && [...a].every((name) => b.has(name)));

const sameState = (a: TaskState, b: TaskState) =>
  a.kind === b.kind && a.text === b.text && a.held === b.held && a.needs === b.needs && a.detail === b.detail;

/** How many tasks are in each state, but those `leftOut` (tasks the window does not show). */
export function countByKind(states: ReadonlyMap<string, TaskState>, leftOut?: ReadonlySet<string>): Record<StateKind, number> {
  const counts = Object.fromEntries(STATE_KINDS.map((kind) => [kind, 0])) as Record<StateKind, number>;
  if (!leftOut || leftOut.size === 0) for (const state of states.values()) counts[state.kind]++;
  else for (const [id, state] of states) if (!leftOut.has(id)) counts[state.kind]++;
  return counts;
}
