import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { KeptDependents } from './dependents';
import { KeptTags } from './kept-tags';
import { recordChanges } from './task-changes';

export interface GraphState {
  /** Store revision of the newest data merged in; 0 before the first snapshot. */
  rev: number;
  loaded: boolean;
  tasks: ReadonlyMap<string, Task>;
  agents: ReadonlyMap<string, Agent>;
  /** Bumped only when a task appears or its dependencies change: the layout depends on nothing else. */
  structureVersion: number;
  /** Why the last refresh failed; cleared by the next successful one. */
  error: string | null;
}

export interface Snapshot {
  rev: number;
  tasks: Task[];
  agents: Agent[];
  /** Every task, though asked `since`: one was removed, so what is not here is gone. */
  full?: true;
}

type Listener = (state: GraphState, previous: GraphState) => void;

/**
 * Tasks and agents as last seen, for `useSyncExternalStore`. Each merge makes a new state object
 * but keeps the objects of unchanged tasks, so memoised cards and nodes skip them.
 */
export class GraphStore {
  private state: GraphState = { rev: 0, loaded: false, tasks: new Map(), agents: new Map(), structureVersion: 0, error: null };
  private readonly listeners = new Set<Listener>();
  /**
   * "Required by" of the tasks held, kept from one graph to the next: the states (a failure holds its
   * dependents) and the first view (a task's neighbours) read this one, made for the first snapshot
   * before the window is told of it (boot.ts), not one each.
   */
  readonly dependents = new KeptDependents();
  /** The tags of the tasks held, for the tag menu: made for the first snapshot as the dependents are. */
  readonly tags = new KeptTags();

  getState = (): GraphState => this.state;

  subscribe = (listener: () => void): (() => void) => this.listen(listener);

  /** Like subscribe, but the listener sees the state before and after (for notifications). */
  listen(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A full snapshot replaces everything; a `since` snapshot is merged over what we have. */
  apply(snapshot: Snapshot, full: boolean): void {
    const next = this.merged(snapshot, full);
    if (next) this.take(next);
  }

  /**
   * The state `apply` would make, not yet taken (null: the snapshot brings nothing): the first
   * snapshot's tasks are laid out (boot.ts) before the window is told of them, and the window then
   * reads the same Map, whose layout input is already made.
   */
  merged(snapshot: Snapshot, full: boolean): GraphState | null {
    const previous = this.state;
    if (!full && snapshot.rev <= previous.rev && snapshot.tasks.length === 0 && snapshot.agents.length === 0) return null;
    const tasks = full ? new Map<string, Task>() : new Map(previous.tasks);
    let structural = full;
    for (const task of snapshot.tasks) {
      const before = previous.tasks.get(task.id);
      if (!structural && (!before || !sameList(before.after, task.after))) structural = true;
      tasks.set(task.id, task);
    }
    recordChanges(previous.tasks, tasks, full ? null : snapshot.tasks.map((task) => task.id));
    const agents = full ? new Map<string, Agent>() : new Map(previous.agents);
    for (const agent of snapshot.agents) agents.set(agent.id, agent);
    return {
      rev: Math.max(full ? 0 : previous.rev, snapshot.rev),
      loaded: true,
      tasks,
      agents,
      structureVersion: structural ? previous.structureVersion + 1 : previous.structureVersion,
      error: null,
    };
  }

  /** Takes a state `merged` made from the current one. */
  take(next: GraphState): void {
    const previous = this.state;
    this.state = next;
    this.notify(previous);
  }

  /** A refresh failed: keep the data, remember why. */
  fail(message: string): void {
    const previous = this.state;
    if (previous.error === message) return;
    this.state = { ...previous, error: message };
    this.notify(previous);
  }

  private notify(previous: GraphState): void {
    for (const listener of this.listeners) listener(this.state, previous);
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
