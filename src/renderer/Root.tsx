import { App } from './App';
import { IdentitiesProvider } from './agency/identity-context';
import { BackendProvider } from './api/backend-context';
import type { Backend } from './api/backend';
import { ConfirmProvider } from './components/confirm';
import { ChatProvider } from './chat/use-chat';
import { LayoutRunnerProvider } from './graph/layout/layout-runner-context';
import type { LayoutRunner } from './graph/layout/layout-runner';
import { ToastProvider } from './notifications/toasts';
import { GraphProvider } from './state/graph-context';
import type { GraphStore } from './state/graph-store';
import type { GraphStoreSync } from './state/graph-store-sync';
import { NavigationProvider } from './state/navigation';
import { ProjectFactsProvider } from './state/project-facts';
import { ThemeProvider } from './theme/ThemeProvider';

interface RootProps {
  backend: Backend;
  /** Started before the app loaded, by boot.ts; made on demand when absent (tests). */
  store?: GraphStore;
  sync?: GraphStoreSync;
  layoutRunner?: LayoutRunner;
}

/** The app with its providers, given a backend (IPC, HTTP, or a fake in tests). */
export function Root({ backend, store, sync, layoutRunner }: RootProps) {
  return (
    <ThemeProvider>
      <BackendProvider backend={backend}>
        <GraphProvider store={store} sync={sync}>
          <ProjectFactsProvider>
            <LayoutRunnerProvider runner={layoutRunner}>
              <NavigationProvider>
                <IdentitiesProvider>
                  <ToastProvider>
                    <ConfirmProvider>
                      <ChatProvider>
                        <App />
                      </ChatProvider>
                    </ConfirmProvider>
                  </ToastProvider>
                </IdentitiesProvider>
              </NavigationProvider>
            </LayoutRunnerProvider>
          </ProjectFactsProvider>
        </GraphProvider>
      </BackendProvider>
    </ThemeProvider>
  );
}
