import '@xyflow/react/dist/style.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/graph.css';
import './styles/inspector.css';
import './styles/pages.css';
import './styles/output.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { selectBackend } from './api/select-backend';
import { createLayoutRunner } from './graph/layout/layout-runner';
import { Root } from './Root';
import { GraphStore } from './state/graph-store';
import { startGraphSync } from './state/graph-sync';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');

const choice = selectBackend();
// The graph starts loading and the layout workers start up now, while React renders the window.
const store = new GraphStore();
const sync = choice.ok ? startGraphSync(choice.backend.client, choice.backend.events, store) : undefined;
const layoutRunner = createLayoutRunner();
layoutRunner.warm();
createRoot(container).render(
  <StrictMode>
    {choice.ok ? (
      <Root backend={choice.backend} store={store} sync={sync} layoutRunner={layoutRunner} />
    ) : (
      <div className="fatal" role="alert">
        <h1>Workgraph</h1>
        <p>{choice.reason}</p>
      </div>
    )}
  </StrictMode>,
);
