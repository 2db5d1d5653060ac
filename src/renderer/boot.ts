import { selectBackend, type BackendChoice } from './api/select-backend';
import { createLayoutRunner, type LayoutRunner } from './graph/layout/layout-runner';
import { workFocus } from './graph/view/work-focus';
import type { Task } from '../shared/task';
import { GraphStore } from './state/graph-store';
import { inSlices, yieldToMain } from './scheduling/time-slices';
import { startGraphStoreSync, type GraphStoreSync } from './state/graph-store-sync';

/** What the window starts before React and the app are loaded; handed to the app when it is. */
export interface Boot {
  choice: BackendChoice;
  store: GraphStore;
  sync?: GraphStoreSync;
  layoutRunner: LayoutRunner;
}

/**
 * Starts everything that waits on the network or another thread, from a small first chunk: the
 * graph snapshot request, the event stream and the layout workers (which start meanwhile).
 * The big chunk (React, React Flow, the app) is fetched, parsed and run meanwhile, and the first
 * layout is already under way in a worker by the time the graph page asks for it.
 */
export function boot(): Boot {
  const choice = selectBackend();
  const store = new GraphStore();
  const layoutRunner = createLayoutRunner();
  layoutRunner.warm();
  const sync = choice.ok
    ? startGraphStoreSync(choice.backend.client, choice.backend.events, store, (tasks) => readFirstSnapshot(tasks, store, layoutRunner))
    : undefined;
  return { choice, store, sync, layoutRunner };
}

/**
 * Lays out the first snapshot as soon as it lands, where work happens first, and indexes its
 * dependents, before the window is told of it. The graph page then reads the same tasks: the
 * runner's kept input and the store's index and tags are already theirs (not made again), and its layout
 * request uses this plan and the components in flight (see the runner). Each is a task of its own:
 * together, on a big plan, they were one long task. It resolves once the workers have every
 * component: told earlier, the window's first render took turns with the planning on this thread,
 * and the workers started only after both (on a 10,000-task plan, most of a second).
 */
export async function readFirstSnapshot(tasks: ReadonlyMap<string, Task>, store: GraphStore, runner: LayoutRunner): Promise<void> {
  if (tasks.size === 0) return;
  // Read from nothing in time slices (a task of 80-120 ms of the window's at 50,000).
  const input = await inSlices((due) => runner.input.steps(tasks, null, undefined, due));
  performance.mark('wg:layout-input');
  await yieldToMain();
  await new Promise<void>((sent) => {
    // A run that ends (or fails) before sending anything lets the window go on too.
    void runner.run(input, { priority: workFocus(tasks.values()), onSent: sent }).finally(sent);
  });
  performance.mark('wg:layout-sent');
  await yieldToMain();
  // Every task read from nothing: in time slices (a long task of the window's at 10,000 under load).
  await inSlices((due) => store.dependents.steps(tasks, due));
  await inSlices((due) => store.tags.steps(tasks, due));
}
