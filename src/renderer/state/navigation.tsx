import type { Agent } from '../../shared/agent';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useGraphStore } from './graph-context';

export const PAGES = [
  'graph',
  'chat',
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
  chat: 'Coordinator chat',
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
  /**
   * The run opened from a list that had it whole (the Agents page): the graph holds only current runs, not every older
   * one (AgentRecords.current), so the Run output page shows this one's state, task and cost from here.
   */
  outputRun: Agent | null;
  /** The agent identity (hash) the Agency page shows first. */
  selectedIdentity: string | null;
  goTo(page: Page): void;
  /** Select a task; `focus` shows it in the graph (links from elsewhere). */
  selectTask(id: string | null, focus?: boolean): void;
  openOutput(agentId: string, run?: Agent): void;
  /** Show an agent identity on the Agency page. */
  openIdentity(id: string): void;
}

const NavigationContext = createContext<Navigation | null>(null);

/** Where the window was, kept for its session (the window reloads, and the desktop app reloads it to switch projects). */
const REMEMBERED_KEY = 'wg.navigation';

interface Remembered {
  page: Page;
  task: string | null;
  /** The open task's `created_at`: the same id in another project (shown after a switch) is another task. */
  created: string | null;
  /** The run Run output shows, and its `started_at` for the same reason: run ids repeat across projects. */
  agent: string | null;
  agentStarted: string | null;
  /** The agent identity the Agency page shows: a hash of what it is, so the same in any project. */
  identity: string | null;
}

function recall(storage: Storage | null): Remembered | null {
  try {
    const value: unknown = JSON.parse(storage?.getItem(REMEMBERED_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const { page, task, created, agent, agentStarted, identity } = value as Record<string, unknown>;
    // A page the window no longer has, or a broken entry, is forgotten rather than trusted.
    if (!(PAGES as readonly unknown[]).includes(page)) return null;
    const text = (field: unknown) => (typeof field === 'string' ? field : null);
    return {
      page: page as Page,
      task: text(task),
      created: text(created),
      agent: text(agent),
      agentStarted: text(agentStarted),
      identity: text(identity),
    };
  } catch {
    return null;
  }
}

/** The window's sessionStorage; null where reading it is refused (storage blocked in a browser throws on access). */
function windowSession(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

function remember(storage: Storage | null, remembered: Remembered): void {
  try {
    storage?.setItem(REMEMBERED_KEY, JSON.stringify(remembered));
  } catch {
    // Storage full or refused (a locked-down browser): the window still works, it just opens afresh.
  }
}

interface NavigationProviderProps {
  children: ReactNode;
  /** Where to open. Given (tests), the window opens exactly there and remembers nothing; absent, it opens where it was. */
  initialPage?: Page;
  /** Where "where it was" is kept: the window's sessionStorage unless `initialPage` is given. */
  storage?: Storage | null;
}

export function NavigationProvider({
  children,
  initialPage,
  storage = initialPage === undefined ? windowSession() : null,
}: NavigationProviderProps) {
  const graph = useGraphStore();
  const [remembered] = useState(() => recall(storage));
  // "All projects" is left to open the graph: from there a reload is mostly a switch, which should show the project chosen.
  const [page, setPage] = useState<Page>(() => initialPage ?? (remembered && remembered.page !== 'projects' ? remembered.page : 'graph'));
  const [selectedTask, setSelectedTask] = useState<string | null>(null);
  const [focusRequest, setFocusRequest] = useState(0);
  const [outputAgent, setOutputAgent] = useState<string | null>(null);
  const [outputRun, setOutputRun] = useState<Agent | null>(null);
  const [selectedIdentity, setSelectedIdentity] = useState<string | null>(() => remembered?.identity ?? null);
  // The remembered task and run are shown once the graph is in, if they are still there (and the same): not before,
  // so a task since removed never opens an inspector that finds nothing. Until then they are kept as they were.
  const [restoring, setRestoring] = useState(() => remembered?.task != null || remembered?.agent != null);

  useEffect(() => {
    if (!remembered || (!remembered.task && !remembered.agent)) return;
    const { task, agent } = remembered;
    const settle = (): boolean => {
      const state = graph.getState();
      if (!state.loaded) return false;
      const found = task ? state.tasks.get(task) : undefined;
      if (task && found && (remembered.created === null || found.created_at === remembered.created)) {
        setSelectedTask((current) => current ?? task);
        // On the graph its card is brought into view, as any link to a task does: the opening view may not hold it.
        if (remembered.page === 'graph') setFocusRequest((n) => n + 1);
      }
      const run = agent ? state.agents.get(agent) : undefined;
      if (agent && run && run.started_at === remembered.agentStarted) setOutputAgent((current) => current ?? agent);
      setRestoring(false);
      return true;
    };
    if (settle()) return;
    const unsubscribe = graph.subscribe(() => {
      if (settle()) unsubscribe();
    });
    return unsubscribe;
  }, [graph, remembered]);

  useEffect(() => {
    if (restoring) return;
    const { tasks, agents } = graph.getState();
    const created = selectedTask ? (tasks.get(selectedTask)?.created_at ?? null) : null;
    const agentStarted = outputAgent ? (agents.get(outputAgent)?.started_at ?? null) : null;
    remember(storage, { page, task: selectedTask, created, agent: outputAgent, agentStarted, identity: selectedIdentity });
  }, [storage, graph, page, selectedTask, outputAgent, selectedIdentity, restoring]);

  const selectTask = useCallback((id: string | null, focus = false) => {
    setSelectedTask(id);
    if (id && focus) {
      setPage('graph');
      setFocusRequest((n) => n + 1);
    }
  }, []);
  const openOutput = useCallback((agentId: string, run?: Agent) => {
    setOutputAgent(agentId);
    setOutputRun(run ?? null);
    setPage('output');
  }, []);

  const openIdentity = useCallback((id: string) => {
    setSelectedIdentity(id);
    setPage('agency');
  }, []);

  const value = useMemo(
    () => ({
      page,
      selectedTask,
      focusRequest,
      outputAgent,
      outputRun,
      selectedIdentity,
      goTo: setPage,
      selectTask,
      openOutput,
      openIdentity,
    }),
    [page, selectedTask, focusRequest, outputAgent, outputRun, selectedIdentity, selectTask, openOutput, openIdentity],
  );
  return <NavigationContext.Provider value={value}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): Navigation {
  const value = useContext(NavigationContext);
  if (!value) throw new Error('useNavigation outside <NavigationProvider>');
  return value;
}
