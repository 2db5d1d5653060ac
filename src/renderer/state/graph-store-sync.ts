import type { WgClient } from '../../shared/client';
import type { WgEvents } from '../api/backend';
import { errorMessage } from '../api/op-error';
import { isUnreachable } from '../api/connection';
import { yieldToMain } from '../scheduling/time-slices';
import type { Task } from '../../shared/task';
import { type GraphSnapshot, type TaskTable, type TaskTableText, tasksOfPart, tasksOfTable } from '../../shared/task-table';
import type { GraphStore, Snapshot } from './graph-store';

export interface GraphStoreSync {
  /** Fetch what changed now (after a mutation, so the window does not wait for the event). */
  refresh(): Promise<void>;
  stop(): void;
}

/**
 * Keeps the store current: a full snapshot first, then `graph:snapshot({since})` after each change
 * event. Bursts of events are coalesced: at most one request is in flight, and one more runs after
 * it if anything arrived meanwhile, so 100 changes a second cost a handful of requests.
 * Failures are kept in the store's `error`.
 */
export function startGraphStoreSync(
  client: WgClient,
  events: WgEvents,
  store: GraphStore,
  /**
   * The first snapshot's tasks (the Map the store then holds), before the window is told of them:
   * boot.ts starts laying them out here. Each step is a task of its own (reading the snapshot, this,
   * then the store and the window drawing it): on a 10,000-task graph together they kept the window
   * from input.
   */
  onFirstSnapshot?: (tasks: ReadonlyMap<string, Task>) => void | Promise<void>,
): GraphStoreSync {
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  // A coordinator of an older build (a remote host's) refuses the field: it is asked without from then on.
  let askParts = true;
  const ask = async (input: { since?: number }) => {
    if (askParts) {
      try {
        return await client['graph:snapshot']({ ...input, parts: true });
      } catch (error) {
        if (!refusesParts(error)) throw error;
        askParts = false;
      }
    }
    return client['graph:snapshot'](input);
  };

  const fetchOnce = async () => {
    const state = store.getState();
    const full = !state.loaded;
    const answer = await ask(full ? {} : { since: state.rev });
    if (full && onFirstSnapshot && !stopped) {
      performance.mark('wg:snapshot');
      await yieldToMain();
      const snapshot = await decoded(answer);
      await yieldToMain();
      const next = store.merged(snapshot, true);
      await yieldToMain();
      // Only a head start (the graph page lays out and indexes what it was not handed): should it fail,
      // the graph is taken all the same, and the failure shown as a refresh's is, not a blank window.
      let failure: { error: unknown } | null = null;
      try {
        if (next && !stopped) await onFirstSnapshot(next.tasks);
      } catch (error) {
        failure = { error };
      }
      await yieldToMain();
      // Taken as merged while nothing else was (a refresh runs one fetch at a time).
      if (next && !stopped) store.take(next);
      performance.mark('wg:graph');
      if (failure) throw failure.error;
      return;
    }
    const snapshot = await decoded(answer);
    if (!stopped) store.apply(snapshot, full || answer.full === true);
  };

  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await fetchOnce();
        } catch (error) {
          // A graph shown that the coordinator cannot be asked about is told by its own notice (CoordinatorLostBanner).
          const told = isUnreachable(error) && store.getState().loaded;
          if (!stopped && !told) store.fail(errorMessage(error));
        }
      } while (again && !stopped);
      running = null;
    })();
    return running;
  };

  const unsubscribe = events.onChange(({ rev }) => {
    if (rev > store.getState().rev || !store.getState().loaded) void refresh();
  });
  void refresh();

  return {
    refresh,
    stop: () => {
      stopped = true;
      unsubscribe();
    },
  };
}

/** The refusal of a coordinator that does not know `parts` (dispatch.ts parseInput: `unknown field: parts`). */
function refusesParts(error: unknown): boolean {
  return /^unknown fields?: (.*, )?parts(,|$)/.test(errorMessage(error));
}

/** The answer's tasks made whole tasks, once, where the window takes them. */
async function decoded(answer: GraphSnapshot<TaskTable | TaskTableText>): Promise<Snapshot> {
  const tasks = await tasksOfAnswer(answer.tasks);
  return { rev: answer.rev, tasks, agents: answer.agents, ...(answer.full ? { full: true as const } : {}) };
}

/**
 * The tasks of an answer's table, its rows' text read a part at a time, the thread given back (`between`) before each
 * part after the first; rows sent as values (a coordinator of an older build), at once.
 */
export async function tasksOfAnswer(table: TaskTable | TaskTableText, between: () => Promise<void> = yieldToMain): Promise<Task[]> {
  if (!('parts' in table)) return tasksOfTable(table);
  const tasks: Task[] = [];
  const { columns, parts } = table;
  for (let index = 0; index < parts.length; index++) {
    if (index > 0) await between();
    for (const task of tasksOfPart(columns, parts[index] as string)) tasks.push(task);
  }
  return tasks;
}
