import type { Steps } from '../../shared/steps';
import { inBackground, TimeSlices } from '../scheduling/time-slices';
import type { StateContext, TaskState, TaskStates } from './task-state';

type Context = Omit<StateContext, 'failedRoots'>;

/** The states of every task of one graph, and that graph (`G`: what the caller draws, the tasks among it). */
export interface WholeStates<G> {
  graph: G;
  states: ReadonlyMap<string, TaskState>;
}

/** Time slices of one piece of work (TimeSlices: the window's; a test's cut by count). */
export interface Slices {
  due(): boolean;
  next(): Promise<void>;
}

/** A graph whose states are asked for, and the context they are worked out in. */
interface Asked<G> {
  graph: G;
  context: Context;
}

/**
 * Work on whole states that goes with them, in their time slices, before they are answered: what the caller reads
 * of every task at once when it draws them (GraphPage's work target).
 */
export type WithWhole<G> = (graph: G, states: ReadonlyMap<string, TaskState>, due: () => boolean) => Steps<void>;

/** The work on one asked for, under way. */
interface Running<G> {
  asked: Asked<G>;
  steps: Steps<ReadonlyMap<string, TaskState>>;
}

/**
 * The states of the graph asked for last, worked out by one TaskStates in time slices: a change of a
 * few tasks ends within the slice that asked (the render), a plan of 50,000 read from nothing goes on
 * in background slices, between which the window answers input and draws. Only whole states are
 * answered, with the graph they are of, so a card never shows a state of another graph than its own;
 * until the new ones are whole, the last whole ones are. One piece of work at a time, each from where
 * the last left the TaskStates; a graph asked for meanwhile is worked out next, the ones between skipped.
 */
export class StatesInSlices<G> {
  private whole: (WholeStates<G> & { context: Context }) | null = null;
  private asked: Asked<G> | null = null;
  private working = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly states: TaskStates,
    private readonly slicesOf: () => Slices = () => new TimeSlices(),
    private readonly withWhole?: WithWhole<G>,
  ) {}

  /**
   * Asks for the states of `context` (of `graph`), and answers the last whole ones: these when their work ends in
   * this slice, else those before (null before the first), and tells `onWhole`'s listeners when these are.
   */
  want(graph: G, context: Context): WholeStates<G> | null {
    if (this.whole?.context === context) {
      // The same tasks in a new graph (its agents changed): the same states, with it.
      if (this.whole.graph !== graph) this.whole = { ...this.whole, graph };
      return this.whole;
    }
    this.asked = { graph, context };
    if (!this.working) this.work(this.slicesOf());
    return this.whole;
  }

  /** Calls `listener` when states that ended in a background slice are whole; returns the unsubscribe. */
  onWhole(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last whole states (null before the first), as `want` answers them. */
  latest(): WholeStates<G> | null {
    return this.whole;
  }

  /** Works through what is asked, in this slice as far as it goes, then in background slices. */
  private work(slices: Slices): void {
    this.working = true;
    let running: Running<G> | null;
    try {
      running = this.advance(this.begin(slices), slices);
    } catch (error) {
      this.working = false;
      throw error;
    }
    if (running === null) {
      this.working = false;
      return;
    }
    void inBackground(async () => {
      try {
        while (running !== null) {
          await slices.next();
          running = this.advance(running, slices);
        }
      } finally {
        this.working = false;
      }
      for (const listener of this.listeners) listener();
    });
  }

  private begin(slices: Slices): Running<G> {
    const asked = this.asked as Asked<G>;
    this.asked = null;
    return { asked, steps: this.stepsOf(asked, () => slices.due()) };
  }

  private *stepsOf(asked: Asked<G>, due: () => boolean): Steps<ReadonlyMap<string, TaskState>> {
    const states = yield* this.states.steps(asked.context, due);
    if (this.withWhole) yield* this.withWhole(asked.graph, states, due);
    return states;
  }

  /**
   * Steps on until the slice is due (the work still running is answered) or nothing more is asked (null). Work that
   * ends is whole; a graph asked for meanwhile begins at once, from where it left the TaskStates.
   */
  private advance(running: Running<G>, slices: Slices): Running<G> | null {
    let current = running;
    for (;;) {
      const step = current.steps.next();
      if (!step.done) return current;
      this.whole = { graph: current.asked.graph, states: step.value, context: current.asked.context };
      if (this.asked === null) return null;
      current = this.begin(slices);
    }
  }
}
