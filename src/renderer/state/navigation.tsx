import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export const PAGES = ['graph', 'agents', 'output', 'worktrees', 'daemons', 'models', 'executors', 'evaluations', 'settings', 'service', 'projects'] as const;
/** Pages of the desktop app only (browser mode serves one project per daemon). */
export const DESKTOP_PAGES: readonly Page[] = ['projects'];
export type Page = (typeof PAGES)[number];

export const PAGE_TITLES: Record<Page, string> = {
  graph: 'Graph',
  agents: 'Agents',
  output: 'Run output',
  daemons: 'Agent daemons',
  worktrees: 'Worktrees',
  models: 'Models',
  executors: 'Executors',
  evaluations: 'Evaluations',
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
  goTo(page: Page): void;
  /** Select a task; `focus` shows it in the graph (links from elsewhere). */
  selectTask(id: string | null, focus?: boolean): void;
  openOutput(agentId: string): void;
}

const NavigationContext = createContext<Navigation | null>(null);

export function NavigationProvider({ children, initialPage = 'graph' }: { children: ReactNode; initialPage?: Page }) {
  const [page, setPage] = useState<Page>(initialPage);
  const [selectedTask, setSelectedTask] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [outputAgent, setOutputAgent] = useState<string | null>(null);

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

  const value = useMemo(
    () => ({ page, selectedTask, focusRequest, outputAgent, goTo: setPage, selectTask, openOutput }),
    [page, selectedTask, focusRequest, outputAgent, selectTask, openOutput],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside <NavigationProvider>');
  return value;
}
