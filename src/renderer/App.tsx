import { lazy, Suspense, type ComponentType } from 'react';
import { useBackend } from './api/backend-context';
import { useReadOnly } from './hooks/use-read-only';
import { BusyMain, PendingLoad } from './hooks/pending-loads';
import { SyncProblemBanner } from './components/SyncProblemBanner';
import { CoordinatorLostBanner } from './components/CoordinatorLostBanner';
import { useResyncOnReconnect } from './state/resync-on-reconnect';
import { GraphPage } from './graph/GraphPage';
import { TaskTotal } from './graph/TaskTotal';
import { DesktopNotificationToggle } from './notifications/DesktopNotificationToggle';
import { useWorkNotifications } from './notifications/use-work-notifications';
import { useGraph, useSyncError } from './state/graph-context';
import { ThemeSwitch } from './theme/ThemeSwitch';
import { ProjectSwitcher } from './projects/ProjectSwitcher';
import { DESKTOP_PAGES, PAGE_TITLES, PAGES, useNavigation, type Page } from './state/navigation';

// Pages other than the graph load on first visit, keeping them out of the startup bundle.
const OTHER_PAGES: Record<Exclude<Page, 'graph'>, ComponentType> = {
  agents: lazy(() => import('./agents/AgentsPage').then((m) => ({ default: m.AgentsPage }))),
  output: lazy(() => import('./output/OutputPage').then((m) => ({ default: m.OutputPage }))),
  daemons: lazy(() => import('./pages/AgentDaemonsPage').then((m) => ({ default: m.AgentDaemonsPage }))),
  worktrees: lazy(() => import('./worktrees/WorktreesPage').then((m) => ({ default: m.WorktreesPage }))),
  agency: lazy(() => import('./agency/AgencyPage').then((m) => ({ default: m.AgencyPage }))),
  models: lazy(() => import('./pages/ModelsPage').then((m) => ({ default: m.ModelsPage }))),
  executors: lazy(() => import('./pages/ExecutorsPage').then((m) => ({ default: m.ExecutorsPage }))),
  evaluations: lazy(() => import('./pages/EvaluationsPage').then((m) => ({ default: m.EvaluationsPage }))),
  spend: lazy(() => import('./spend/SpendPage').then((m) => ({ default: m.SpendPage }))),
  settings: lazy(() => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage }))),
  service: lazy(() => import('./pages/ServicePage').then((m) => ({ default: m.ServicePage }))),
  projects: lazy(() => import('./projects/ProjectsPage').then((m) => ({ default: m.ProjectsPage }))),
};

/** The window: navigation on the left, the current page on the right. */
export function App() {
  const { page, goTo } = useNavigation();
  const { label, app } = useBackend();
  const pages = app ? PAGES : PAGES.filter((name) => !DESKTOP_PAGES.includes(name));
  const { agents } = useGraph();
  const syncError = useSyncError();
  const readOnly = useReadOnly();
  useWorkNotifications();
  useResyncOnReconnect();
  let working = 0;
  for (const agent of agents.values()) if (agent.state === 'working') working++;

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Pages">
        <div className="brand">Workgraph</div>
        <ProjectSwitcher />
        {pages.map((name) => (
          <button
            key={name}
            type="button"
            className="nav-item"
            aria-current={page === name ? 'page' : undefined}
            onClick={() => goTo(name)}
          >
            {PAGE_TITLES[name]}
            {name === 'agents' && working > 0 && <span className="nav-count">{working}</span>}
          </button>
        ))}
        <div className="sidebar-foot">
          <TaskTotal />
          <div className="small muted" title="data source">
            {label}
          </div>
          <ThemeSwitch />
          <DesktopNotificationToggle />
        </div>
      </nav>
      <BusyMain className="content">
        {/* Above every page: the graph shown may be out of date while these say so. */}
        <CoordinatorLostBanner />
        <SyncProblemBanner />
        {syncError && (
          <div className="error-alert" role="alert">
            Cannot load the graph: {syncError}
          </div>
        )}
        {readOnly && (
          <div className="read-only-banner" role="status">
            Read-only project: this folder cannot be written, so the graph is shown but no agent runs and nothing can be changed.
          </div>
        )}
        {/* The graph stays mounted so its viewport and layout survive a visit to another page. */}
        <div className={page === 'graph' ? 'page-slot' : 'page-slot hidden'}>
          <GraphPage />
        </div>
        {page !== 'graph' && <OtherPage page={page} />}
      </BusyMain>
    </div>
  );
}

function OtherPage({ page }: { page: Exclude<Page, 'graph'> }) {
  const Content = OTHER_PAGES[page];
  return (
    <div className="page-slot">
      <Suspense
        fallback={
          <PendingLoad>
            <p className="page muted">Loading…</p>
          </PendingLoad>
        }
      >
        <Content />
      </Suspense>
    </div>
  );
}
