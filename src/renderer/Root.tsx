import { App } from './App';
import { BackendProvider } from './api/backend-context';
import type { Backend } from './api/backend';
import { LayoutRunnerProvider } from './graph/layout/layout-runner-context';
import type { LayoutRunner } from './graph/layout/layout-runner';
import { ToastProvider } from './notifications/toasts';
import { GraphProvider } from './state/graph-context';
import type { GraphStore } from './state/graph-store';
import type { GraphSync } from './state/graph-sync';
import { NavigationProvider } from './state/navigation';

interface RootProps {
  backend: Backend;
  /** Started before the app loaded, by boot.ts; made on demand when absent (tests). */
  store?: GraphStore;
  sync?: GraphSync;
  layoutRunner?: LayoutRunner;
}

/** The app with its providers, given a backend (IPC, HTTP, or a fake in tests). */
export function Root({ backend, store, sync, layoutRunner }: RootProps) {
  return (
    <BackendProvider backend={backend}>
      <GraphProvider store={store} sync={sync}>
        <LayoutRunnerProvider runner={layoutRunner}>
          <NavigationProvider>
            <ToastProvider>
              <App />
            </ToastProvider>
          </NavigationProvider>
        </LayoutRunnerProvider>
      </GraphProvider>
    </BackendProvider>
  );
}
