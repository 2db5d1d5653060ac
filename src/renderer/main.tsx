import '@xyflow/react/dist/style.css';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/graph.css';
import './styles/board.css';
import './styles/inspector.css';
import './styles/pages.css';
import './styles/output.css';
import './styles/worktrees.css';
import './styles/messages.css';
import './styles/history.css';
import { boot } from './boot';
import { applyTheme, resolveTheme, storedChoice } from './theme/theme';
import { errorText } from '../shared/errors';

// The entry chunk stays small (no React, no zod): it starts loading the graph and the layout
// workers at once, and only then loads the app, whose own run would otherwise delay the snapshot.
// The theme is set before anything is drawn, so a dark window never flashes light.
applyTheme(resolveTheme(storedChoice()));
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
const started = boot();
import('./start-app').then(
  ({ startApp }) => startApp(container, started),
  (error: unknown) => {
    container.textContent = `Workgraph could not load: ${errorText(error)}`;
  },
);
