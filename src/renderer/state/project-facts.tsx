import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { DEFAULT_EVAL_THRESHOLD, type ConfigEntry, type ExecutorProfile, type ModelRegistry } from '../../shared/config-types';
import { CONFIG_KEYS } from '../../shared/config-keys';
import type { AgentDaemonsStatus } from '../../shared/agent-daemon-types';
import type { ServiceStatus } from '../../shared/service-types';
import { useBackend } from '../api/backend-context';
import { errorMessage } from '../api/op-error';

/**
 * What the window needs to know about the project besides tasks and agents: the coordinator's
 * state (for the pause banner and "ready" meaning anything), executor profiles (which are manual),
 * the model registry and the settings (for pickers). Loaded once, then again after store changes
 * (at most once a second: pausing the coordinator makes a revision of its own) and after the
 * window changes any of them itself (`reload`).
 */
export interface ProjectFacts {
  service: ServiceStatus | null;
  /** Why service:status failed (the coordinator is not running in this process). */
  serviceError: string | null;
  executors: ExecutorProfile[];
  models: ModelRegistry | null;
  config: ConfigEntry[];
  /** Connected agent daemons and the ready remote tasks none of them can take (null: no coordinator here). */
  remote: AgentDaemonsStatus | null;
  /** The facts have been read once: until then no task is known to wait for a person (the executors say which do). */
  loaded: boolean;
  reload(): Promise<void>;
}

const EMPTY: ProjectFacts = {
  service: null,
  serviceError: null,
  executors: [],
  models: null,
  config: [],
  remote: null,
  loaded: false,
  reload: () => Promise.resolve(),
};
const ProjectFactsContext = createContext<ProjectFacts>(EMPTY);
const THROTTLE_MS = 1000;

export function ProjectFactsProvider({ children }: { children: ReactNode }) {
  const { client, events } = useBackend();
  const [facts, setFacts] = useState<Omit<ProjectFacts, 'reload'>>(EMPTY);
  const alive = useRef(true);

  const reload = useCallback(async () => {
    const [service, executors, models, config, remote] = await Promise.allSettled([
      client['service:status']({}),
      client['executor:list']({}),
      client['model:list']({}),
      client['config:list']({}),
      client['agentd:status']({}),
    ]);
    if (!alive.current) return;
    setFacts((previous) => ({
      service: service.status === 'fulfilled' ? same(previous.service, service.value) : null,
      serviceError: service.status === 'rejected' ? errorMessage(service.reason) : null,
      executors: executors.status === 'fulfilled' ? same(previous.executors, executors.value) : previous.executors,
      models: models.status === 'fulfilled' ? same(previous.models, models.value) : previous.models,
      config: config.status === 'fulfilled' ? same(previous.config, config.value) : previous.config,
      remote: remote.status === 'fulfilled' ? same(previous.remote, remote.value) : null,
      loaded: true,
    }));
  }, [client]);

  useEffect(() => {
    alive.current = true;
    void reload();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    // Throttled, not debounced: a graph that changes 100 times a second still refreshes every second.
    const unsubscribe = events.onChange(() => {
      if (timer) return;
      const wait = Math.max(0, last + THROTTLE_MS - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        void reload();
      }, wait);
    });
    return () => {
      alive.current = false;
      clearTimeout(timer);
      unsubscribe();
    };
  }, [events, reload]);

  const value = useMemo(() => ({ ...facts, reload }), [facts, reload]);
  const threshold = evalThreshold(facts.config);
  return (
    <ProjectFactsContext.Provider value={value}>
      <EvalThresholdContext.Provider value={threshold}>{children}</EvalThresholdContext.Provider>
    </ProjectFactsContext.Provider>
  );
}

/** The project's `agency.eval_threshold`: a score at or above it passes. */
function evalThreshold(config: readonly ConfigEntry[]): number {
  const value = config.find((entry) => entry.key === 'agency.eval_threshold')?.value;
  return typeof value === 'number' ? value : DEFAULT_EVAL_THRESHOLD;
}

/** A number alone, so the cards that colour their score re-render only when the threshold changes, not with every fact. */
const EvalThresholdContext = createContext(DEFAULT_EVAL_THRESHOLD);

/** The lowest passing evaluation score of the project (scores are coloured pass or fail by it). */
export const useEvalThreshold = (): number => useContext(EvalThresholdContext);

/** Keeps the previous object when nothing changed, so what depends on it is not recomputed each second. */
function same<T>(previous: T, next: T): T {
  return JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

export const useProjectFacts = (): ProjectFacts => useContext(ProjectFactsContext);

/** The executor a task without its own runs with: the project's coordinator.executor (claude until the settings are read). */
export function defaultExecutorOf(config: readonly ConfigEntry[]): string {
  const value = config.find((entry) => entry.key === 'coordinator.executor')?.value;
  return typeof value === 'string' && value !== '' ? value : 'claude';
}

/** The settings' `[agency] auto_evaluate`: the coordinator evaluates finished work itself (off unless set). */
export function autoEvaluates(config: readonly ConfigEntry[]): boolean {
  return config.find((entry) => entry.key === CONFIG_KEYS.autoEvaluate)?.value === true;
}

/** Executor profile names of the manual type, and whether the default executor is one. */
export function manualExecutors(facts: Pick<ProjectFacts, 'executors' | 'config'>): {
  names: ReadonlySet<string>;
  defaultIsManual: boolean;
} {
  const names = new Set(facts.executors.filter((p) => p.type === 'manual').map((p) => p.name));
  return { names, defaultIsManual: names.has(defaultExecutorOf(facts.config)) };
}
