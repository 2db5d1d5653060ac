import { lazy, Suspense, type ComponentType, useState } from 'react';
import { useShownTask } from './projects/use-shown-task';
import { useBackend } from './api/backend-context';
import { useReadOnly } from './hooks/use-read-only';
import { BusyMain, PendingLoad } from './hooks/pending-loads';
import { PageErrorBoundary, PageLoadError } from './components/PageErrorBoundary';
import { loadAnew } from './components/load-anew';
import { SkipToTasks } from './components/SkipToTasks';
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

type PageModule = Promise<{ default: ComponentType }>;

// Pages other than the graph load on first visit, keeping them out of the startup bundle.
const PAGE_LOADERS: Record<Exclude<Page, 'graph'>, () => PageModule> = {
  chat: () => import('./chat/ChatPage').then((m) => ({ default: m.ChatPage })),
  agents: () => import('./agents/AgentsPage').then((m) => ({ default: m.AgentsPage })),
  output: () => import('./output/OutputPage').then((m) => ({ default: m.OutputPage })),
  daemons: () => import('./pages/AgentDaemonsPage').then((m) => ({ default: m.AgentDaemonsPage })),
  worktrees: () => import('./worktrees/WorktreesPage').then((m) => ({ default: m.WorktreesPage })),
  agency: () => import('./agency/AgencyPage').then((m) => ({ default: m.AgencyPage })),
  models: () => import('./pages/ModelsPage').then((m) => ({ default: m.ModelsPage })),
  executors: () => import('./pages/ExecutorsPage').then((m) => ({ default: m.ExecutorsPage })),
  evaluations: () => import('./pages/EvaluationsPage').then((m) => ({ default: m.EvaluationsPage })),
  spend: () => import('./spend/SpendPage').then((m) => ({ default: m.SpendPage })),
  settings: () => import('./pages/SettingsPage').then((m) => ({ default: m.SettingsPage })),
  service: () => import('./pages/ServicePage').then((m) => ({ default: m.ServicePage })),
  projects: () => import('./projects/ProjectsPage').then((m) => ({ default: m.ProjectsPage })),
};

const loadedPages = new Map<Page, ComponentType>();
/** Pages whose code failed to load once: fetched with loadAnew from then on. */
const failedPages = new Set<Page>();

/**
 * A page's lazy component, made once. React keeps a lazy component's failed load for good, so a page whose code could
 * not be fetched is forgotten (`forgetPage`) and fetched anew on Retry.
 */
function lazyPage(page: Exclude<Page, 'graph'>): ComponentType {
  let found = loadedPages.get(page);
  if (!found) {
    const load = PAGE_LOADERS[page];
    found = lazy(() =>
      (failedPages.has(page) ? loadAnew(load) : load()).catch((error: unknown) => {
        failedPages.add(page);
        console.error(`Loading the ${page} page's code failed:`, error);
        throw new PageLoadError();
      }),
    );
    loadedPages.set(page, found);
  }
  return found;
}

const forgetPage = (page: Page) => loadedPages.delete(page);

/** The window: navigation on the left, the current page on the right. */
export function App() {
  const { page, goTo } = useNavigation();
  const { label, app } = useBackend();
  const pages = app ? PAGES : PAGES.filter((name) => !DESKTOP_PAGES.includes(name));
  const { agents } = useGraph();
  const syncError = useSyncError();
  const readOnly = useReadOnly();
  useWorkNotifications();
  useShownTask();
  useResyncOnReconnect();
  let working = 0;
  for (const agent of agents.values()) if (agent.state === 'working') working++;

  return (
    <div className="app">
      <SkipToTasks />
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
          <PageErrorBoundary title={PAGE_TITLES.graph}>
            <GraphPage />
          </PageErrorBoundary>
        </div>
        {page !== 'graph' && <OtherPage page={page} />}
      </BusyMain>
    </div>
  );
}

function OtherPage({ page }: { page: Exclude<Page, 'graph'> }) {
  // A retry renders this again, so the page's component is made afresh after its failed load was forgotten.
  const [, setAttempts] = useState(0);
  const Content = lazyPage(page);
  const retry = () => {
    forgetPage(page);
    setAttempts((n) => n + 1);
  };
  return (
    <div className="page-slot">
      {/* Keyed by page: a failure on one page is not carried to the next one visited. */}
      <PageErrorBoundary key={page} title={PAGE_TITLES[page]} onRetry={retry}>
        <Suspense
          fallback={
            <PendingLoad>
              <p className="page muted">Loading…</p>
            </PendingLoad>
          }
        >
          <Content />
        </Suspense>
      </PageErrorBoundary>
    </div>
  );
}
