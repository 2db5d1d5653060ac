import { neverDue, type Steps, toEnd } from '../../../shared/steps';
import type { Task } from '../../../shared/task';
import { changedSince } from '../../state/task-changes';
import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import type { LayoutInput } from './layout-types';

/** A lens's tasks in its order (most urgent first: its grid reads so), and the widest its grid may be. */
export interface LensLayout {
  order: readonly string[];
  gridColumns: number;
}

type LayoutNode = LayoutInput['nodes'][number];
type LayoutEdge = LayoutInput['edges'][number];

/**
 * The layout's view of the tasks: one card-sized node per task shown, an edge per dependency
 * between two tasks shown (a filtered view is laid out on its own, without the hidden tasks).
 */
export function layoutInput(tasks: ReadonlyMap<string, Task>, shown?: ReadonlySet<string> | null, lens?: LensLayout): LayoutInput {
  return new KeptLayoutInput().update(tasks, shown, lens);
}

/**
 * The whole plan's input and a narrowed one's (a lens, a filter), each kept from one graph to the next (below): Fit
 * after the first view's lens reads the whole plan's input as it was left, less the tasks changed since (read from
 * nothing, a 50,000-task plan's takes 50–80 ms of the window's, at each return to every task).
 */
export class KeptLayoutInputs {
  private readonly whole = new KeptLayoutInput();
  private readonly narrowed = new KeptLayoutInput();

  update(tasks: ReadonlyMap<string, Task>, shown?: ReadonlySet<string> | null, lens?: LensLayout): LayoutInput {
    return toEnd(this.steps(tasks, shown, lens, neverDue));
  }

  /** The update as steps that pause where `due` says (KeptLayoutInput.steps). */
  steps(
    tasks: ReadonlyMap<string, Task>,
    shown: ReadonlySet<string> | null | undefined,
    lens: LensLayout | undefined,
    due: () => boolean,
  ): Steps<LayoutInput> {
    return (shown ?? null) === null && lens === undefined
      ? this.whole.steps(tasks, null, undefined, due)
      : this.narrowed.steps(tasks, shown, lens, due);
  }
}

/**
 * The layout's input kept from one graph to the next: only the tasks that changed (task-changes.ts)
 * are looked at, a new task's card goes last (where the graph puts it), and a task's edges change
 * only when its dependencies do (a new one goes last: the order of edges guides no layout but the
 * first, which is read from nothing). A new filter or lens, or a graph not made from the one before,
 * is read from nothing: every task added in the order shown.
 */
export class KeptLayoutInput {
  private tasks: ReadonlyMap<string, Task> = new Map();
  private shown: ReadonlySet<string> | null | undefined = undefined;
  private lens: LensLayout | undefined;
  private inLens: ReadonlySet<string> | null = null;
  private nodes: LayoutNode[] = [];
  private edges: LayoutEdge[] = [];
  private nodeOf = new Map<string, LayoutNode>();
  /** Each task's edges (a task with none has no entry): a plain list, so that a build from nothing makes one small array a task. */
  private edgesOf = new Map<string, LayoutEdge[]>();
  /** Tasks listing a dependency that is not shown: they get its edge when it is. */
  private waiting = new Map<string, Set<string>>();
  /** The input returned last: the same object while nothing it reads changed. */
  private last: LayoutInput | null = null;

  update(tasks: ReadonlyMap<string, Task>, given?: ReadonlySet<string> | null, lens?: LensLayout): LayoutInput {
    return toEnd(this.steps(tasks, given, lens, neverDue));
  }

  /**
   * The update as steps that pause where `due` says (shared/steps.ts): a plan read from nothing (the first snapshot,
   * boot.ts) is read in time slices; 50,000 tasks were one task of 80-120 ms. Read from nothing, the input is made
   * apart and kept only at the end: an update asked for while these steps pause reads the input kept before.
   */
  *steps(
    tasks: ReadonlyMap<string, Task>,
    given: ReadonlySet<string> | null | undefined,
    lens: LensLayout | undefined,
    due: () => boolean,
  ): Steps<LayoutInput> {
    const shown = given ?? null;
    const before = this.tasks;
    const since = changedSince(before, tasks);
    const changed = since ?? [];
    const fresh = shown !== this.shown || lens !== this.lens || since === null || (since instanceof Set && since.size >= tasks.size);
    if (!fresh && this.last && !someDiffer(changed, before, tasks)) {
      this.tasks = tasks;
      return this.last;
    }
    if (fresh) {
      const made = new KeptLayoutInput();
      const input = yield* made.fromNothing(tasks, shown, lens, due);
      this.keep(made);
      return input;
    }
    this.tasks = tasks;
    // Copied before they change: the input returned before stays as it was (a plan compares with it).
    this.nodes = this.nodes.slice();
    this.edges = this.edges.slice();
    for (const id of changed) {
      const old = before.get(id);
      const task = tasks.get(id);
      if (old === task) continue;
      if (old && this.nodeOf.has(id)) {
        if (task && sameList(old.after, task.after)) continue;
        this.remove(id, old, task !== undefined);
      }
      if (task && !this.nodeOf.has(id)) this.add(task);
      else if (task) this.link(task);
    }
    return this.made();
  }

  /** Every task added in the order shown, into this (new) input: every card first, then the edges as the dependencies list them. */
  private *fromNothing(
    tasks: ReadonlyMap<string, Task>,
    shown: ReadonlySet<string> | null,
    lens: LensLayout | undefined,
    due: () => boolean,
  ): Steps<LayoutInput> {
    this.tasks = tasks;
    this.shown = shown;
    this.lens = lens;
    this.inLens = lens ? new Set(lens.order) : null;
    const ordered = lens ? lens.order.flatMap((id) => tasks.get(id) ?? []) : [...tasks.values()];
    for (const task of ordered) {
      if (due()) yield;
      this.addNode(task);
    }
    for (const task of ordered) {
      if (due()) yield;
      if (this.nodeOf.has(task.id)) this.link(task);
    }
    return this.made();
  }

  /** The input as it now is, returned until something it reads changes. */
  private made(): LayoutInput {
    const { nodes, edges, lens } = this;
    this.last = lens ? { nodes, edges, gridColumns: lens.gridColumns } : { nodes, edges };
    return this.last;
  }

  /** Takes what `other` made from nothing as its own. */
  private keep(other: KeptLayoutInput): void {
    this.tasks = other.tasks;
    this.shown = other.shown;
    this.lens = other.lens;
    this.inLens = other.inLens;
    this.nodes = other.nodes;
    this.edges = other.edges;
    this.nodeOf = other.nodeOf;
    this.edgesOf = other.edgesOf;
    this.waiting = other.waiting;
    this.last = other.last;
  }

  private isShown(id: string): boolean {
    return this.tasks.has(id) && (!this.shown || this.shown.has(id)) && (!this.inLens || this.inLens.has(id));
  }

  /** A task's card, last, if it is shown. */
  private addNode(task: Task): boolean {
    if (!this.isShown(task.id) || this.nodeOf.has(task.id)) return false;
    const node = { id: task.id, width: CARD_WIDTH, height: CARD_HEIGHT };
    this.nodeOf.set(task.id, node);
    this.nodes.push(node);
    return true;
  }

  /** A task's card, last, its edges, and the edges of the tasks that waited for it. */
  private add(task: Task): void {
    if (!this.addNode(task)) return;
    this.link(task);
    const waiting = this.waiting.get(task.id);
    this.waiting.delete(task.id);
    for (const dependent of waiting ?? []) {
      const other = this.tasks.get(dependent);
      if (other && this.nodeOf.has(dependent)) this.link(other);
    }
  }

  /** The task's edges as its dependencies say: those no longer listed go, the new ones are added last. */
  private link(task: Task): void {
    const had = this.edgesOf.get(task.id);
    // None yet (every task, in a build from nothing): an edge a listing, in the order listed.
    let own: LayoutEdge[] | null = null;
    const listed: string[] = [];
    for (const dependency of task.after) {
      if (this.nodeOf.has(dependency)) {
        if (had) listed.push(dependency);
        else {
          const edge = { source: dependency, target: task.id };
          if (own) own.push(edge);
          else own = [edge];
          this.edges.push(edge);
        }
      } else {
        // Not shown (yet): its edge comes when it is, if it ever is.
        const list = this.waiting.get(dependency) ?? new Set<string>();
        list.add(task.id);
        this.waiting.set(dependency, list);
      }
    }
    if (!had) {
      if (own) this.edgesOf.set(task.id, own);
      return;
    }
    // As many of each dependency's edges as it is listed: the first ones kept, the rest dropped, the missing made.
    const wanted = new Map<string, number>();
    for (const dependency of listed) wanted.set(dependency, (wanted.get(dependency) ?? 0) + 1);
    own = [];
    for (const edge of had) {
      const left = wanted.get(edge.source) ?? 0;
      if (left === 0) {
        this.dropEdge(edge);
        continue;
      }
      wanted.set(edge.source, left - 1);
      own.push(edge);
    }
    for (const [dependency, count] of wanted) {
      for (let made = 0; made < count; made++) {
        const edge = { source: dependency, target: task.id };
        own.push(edge);
        this.edges.push(edge);
      }
    }
    if (own.length > 0) this.edgesOf.set(task.id, own);
    else this.edgesOf.delete(task.id);
  }

  /** A task's card and its edges out of the input; `replaced`: it stays (its dependencies changed). */
  private remove(id: string, old: Task, replaced: boolean): void {
    for (const dependency of old.after) this.waiting.get(dependency)?.delete(id);
    if (replaced) return;
    const node = this.nodeOf.get(id);
    if (node) this.nodes.splice(this.nodes.indexOf(node), 1);
    this.nodeOf.delete(id);
    for (const edge of this.edgesOf.get(id) ?? []) this.dropEdge(edge);
    this.edgesOf.delete(id);
    // Its dependents' edges from it go; they wait for it, should it come back.
    for (const [dependent, own] of this.edgesOf) {
      if (!own.some((edge) => edge.source === id)) continue;
      const rest = own.filter((edge) => edge.source !== id);
      for (const edge of own) if (edge.source === id) this.dropEdge(edge);
      if (rest.length > 0) this.edgesOf.set(dependent, rest);
      else this.edgesOf.delete(dependent);
      const waiting = this.waiting.get(id) ?? new Set<string>();
      waiting.add(dependent);
      this.waiting.set(id, waiting);
    }
  }

  private dropEdge(edge: LayoutEdge): void {
    const at = this.edges.lastIndexOf(edge);
    if (at >= 0) this.edges.splice(at, 1);
  }
}

/** Whether any of `changed` is another task (or none) in `after` than in `before`. */
function someDiffer(changed: Iterable<string>, before: ReadonlyMap<string, Task>, after: ReadonlyMap<string, Task>): boolean {
  for (const id of changed) if (before.get(id) !== after.get(id)) return true;
  return false;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((value, index) => value === b[index]);
