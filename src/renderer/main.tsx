import '@xyflow/react/dist/style.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/graph.css';
import './styles/inspector.css';
import './styles/pages.css';
import './styles/output.css';
import { boot } from './boot';

// The entry chunk stays small (no React, no zod): it starts loading the graph and the layout
// workers at once, and only then loads the app, which used to delay the snapshot by its own run.
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const started = boot();
import('./start-app').then(
  ({ startApp }) => startApp(container, started),
  (error: unknown) => {
    container.textContent = `Workgraph could not load: ${error instanceof Error ? error.message : String(error)}`;
  },
);
