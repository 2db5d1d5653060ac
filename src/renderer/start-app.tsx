import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import type { Boot } from './boot';
import { Root } from './Root';
import { keepFocusThroughBusyControls } from './components/keep-focus';

/** Renders the window into #root with what main.tsx started (backend, graph sync, layout runner). */
export function startApp(container: HTMLElement, { choice, store, sync, layoutRunner }: Boot): void {
  // Marks of the way to the first card (the window bench reads them: what a person waits for, part by part).
  performance.mark('wg:app');
  keepFocusThroughBusyControls(document);
  const app = (
    <StrictMode>
      {choice.ok ? (
        <Root backend={choice.backend} store={store} sync={sync} layoutRunner={layoutRunner} />
      ) : (
        <div className="fatal" role="alert">
          <h1>Workgraph</h1>
          <p>{choice.reason}</p>
        </div>
      )}
    </StrictMode>
  );
  const root = createRoot(container);
  // Rendered in a transition: React hands the thread back between components, so mounting the
  // whole window (while the graph still loads) is no single long task.
  startTransition(() => root.render(app));
}
