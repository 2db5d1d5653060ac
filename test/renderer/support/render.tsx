import { render, type RenderResult } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { AppClient } from '../../../src/shared/app-ops';
import type { Backend } from '../../../src/renderer/api/backend';
import { IdentitiesProvider } from '../../../src/renderer/agency/identity-context';
import { BackendProvider } from '../../../src/renderer/api/backend-context';
import { ConfirmProvider } from '../../../src/renderer/components/confirm';
import { ToastProvider } from '../../../src/renderer/notifications/toasts';
import { GraphProvider } from '../../../src/renderer/state/graph-context';
import { NavigationProvider, type Page } from '../../../src/renderer/state/navigation';
import { ProjectFactsProvider } from '../../../src/renderer/state/project-facts';
import type { Workgraph } from './workgraph';

/** Renders `ui` inside the app's providers, talking to `project`'s real operations as the window does over IPC. */
export function renderWithProject(ui: ReactNode, project: Workgraph, page: Page = 'graph', app: AppClient | null = null): RenderResult {
  return renderWithBackend(ui, { ...project.backend, app }, page);
}

export function renderWithBackend(ui: ReactNode, backend: Backend, page: Page): RenderResult {
  return render(
    <BackendProvider backend={backend}>
      <GraphProvider>
        <ProjectFactsProvider>
          <NavigationProvider initialPage={page}>
            <IdentitiesProvider>
              <ToastProvider>
                <ConfirmProvider>{ui}</ConfirmProvider>
              </ToastProvider>
            </IdentitiesProvider>
          </NavigationProvider>
        </ProjectFactsProvider>
      </GraphProvider>
    </BackendProvider>,
  );
}
