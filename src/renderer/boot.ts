import { selectBackend, type BackendChoice } from './api/select-backend';
import { layoutInput } from './graph/layout/layout-input';
import { createLayoutRunner, type LayoutRunner } from './graph/layout/layout-runner';
import { workFocus } from './graph/view/work-focus';
import { GraphStore } from './state/graph-store';
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
 * graph snapshot request, the event stream and the layout workers (which load ELK meanwhile).
 * The big chunk (React, React Flow, the app) is fetched, parsed and run meanwhile, and the first
 * layout is already under way in a worker by the time the graph page asks for it.
 */
export function boot(): Boot {
  const choice = selectBackend();
  const store = new GraphStore();
  const sync = choice.ok ? startGraphStoreSync(choice.backend.client, choice.backend.events, store) : undefined;
  const layoutRunner = createLayoutRunner();
  layoutRunner.warm();
  layOutFirstSnapshot(store, layoutRunner);
  return { choice, store, sync, layoutRunner };
}

/**
 * Lays out the first snapshot as soon as it lands, where work happens first. The graph page's own
 * request for the same structure then shares the components in flight (see the runner).
 */
function layOutFirstSnapshot(store: GraphStore, runner: LayoutRunner): void {
  const stop = store.subscribe(() => {
    const { loaded, tasks } = store.getState();
    if (!loaded) return;
    stop();
    if (tasks.size > 0) void runner.run(layoutInput(tasks), { priority: workFocus(tasks.values()) });
  });
}
