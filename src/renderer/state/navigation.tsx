import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export const PAGES = [
  'graph',
  'agents',
  'output',
  'agency',
  'worktrees',
  'daemons',
  'models',
  'executors',
  'evaluations',
  'spend',
  'settings',
  'service',
  'projects',
] as const;
/** Pages of the desktop app only (browser mode serves one project per daemon). */
export const DESKTOP_PAGES: readonly Page[] = ['projects'];
export type Page = (typeof PAGES)[number];

export const PAGE_TITLES: Record<Page, string> = {
  graph: 'Graph',
  agents: 'Agents',
  output: 'Run output',
  agency: 'Agency',
  daemons: 'Agent daemons',
  worktrees: 'Worktrees',
  models: 'Models',
  executors: 'Executors',
  evaluations: 'Evaluations',
  spend: 'Spend',
  settings: 'Settings',
  service: 'Service',
  projects: 'All projects',
};

export interface Navigation {
  page: Page;
  selectedTask: string | null;
  /** Incremented when a selection should also move the canvas to the task. */
  focusRequest: number;
  outputAgent: string | null;
  /** The agent identity (hash) the Agency page shows first. */
  selectedIdentity: string | null;
  goTo(page: Page): void;
  /** Select a task; `focus` shows it in the graph (links from elsewhere). */
  selectTask(id: string | null, focus?: boolean): void;
  openOutput(agentId: string): void;
  /** Show an agent identity on the Agency page. */
  openIdentity(id: string): void;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ children, initialPage = 'graph' }: { children: ReactNode; initialPage?: Page }) {
  const [page, setPage] = useState<Page>(initialPage);
  const [selectedTask, setSelectedTask] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [outputAgent, setOutputAgent] = useState<string | null>(null);
  const [selectedIdentity, setSelectedIdentity] = useState<string | null>(null);

  const selectTask = useCallback((id: string | null, focus = false) => {
    setSelectedTask(id);
    if (id && focus) {
      setPage('graph');
      setFocusRequest((n) => n + 1);
    }
  }, []);
  const openOutput = useCallback((agentId: string) => {
    setOutputAgent(agentId);
    setPage('output');
  }, []);

  const openIdentity = useCallback((id: string) => {
    setSelectedIdentity(id);
    setPage('agency');
  }, []);

  const value = useMemo(
    () => ({ page, selectedTask, focusRequest, outputAgent, selectedIdentity, goTo: setPage, selectTask, openOutput, openIdentity }),
    [page, selectedTask, focusRequest, outputAgent, selectedIdentity, selectTask, openOutput, openIdentity],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside <NavigationProvider>');
  return value;
}
