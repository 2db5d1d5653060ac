import { useDeferredValue, useMemo, useState } from 'react';
import { useClock } from '../hooks/use-clock';
import type { Task } from '../../shared/task';
import { autoEvaluates, defaultExecutorOf, manualExecutors, useProjectFacts } from '../state/project-facts';
import type { KeptDependents } from '../state/dependents';
import { useAgentQuestions } from '../state/agent-questions';
import { TaskStates, type StateContext, type TaskState } from './task-state';

/** Scheduled tasks turn ready when their time comes: states are looked at again this often. */
const RECHECK_MS = 30_000;

/**
 * The state of every task (see task-state.ts), recomputed when the graph or the project changes.
 * The project's facts and the clock are read as of a moment ago: when they change, every task's
 * state is worked out again in a deferred render (React hands the thread back around it), not in
 * the one that brought the change.
 */
export function useTaskStates(
  tasks: ReadonlyMap<string, Task>,
  /** The dependents index the caller keeps of the same graph, if it keeps one. */
  dependents?: KeptDependents,
): ReadonlyMap<string, TaskState> {
  const facts = useDeferredValue(useProjectFacts());
  const now = useDeferredValue(useClock(RECHECK_MS));
  const [states] = useState(() => new TaskStates(dependents));
  const questions = useAgentQuestions(tasks);
  const { executors, config, service, serviceError, remote, loaded } = facts;
  // Until the settings are read no evaluation is said to be left to the person (a moment's flash of "needs you").
  const autoEvaluate = !loaded || autoEvaluates(config);
  const manual = useMemo(() => manualExecutors({ executors, config }), [executors, config]);
  const remoteWaiting = useMemo(() => new Map((remote?.waiting ?? []).map((w) => [w.task_id, w.reason])), [remote]);
  const idle = serviceError !== null || (service !== null && (!service.running || service.paused));
  const startWaits = useMemo(() => {
    const waits = service?.waiting ?? [];
    if (waits.length === 0) return undefined;
    return {
      byExecutor: new Map(waits.flatMap((wait) => wait.executors.map((executor) => [executor, wait.reason] as const))),
      defaultExecutor: defaultExecutorOf(config),
    };
  }, [service, config]);
  return useMemo(() => {
    const context: StateContext = {
      tasks,
      manualExecutors: manual.names,
      defaultIsManual: manual.defaultIsManual,
      coordinatorIdle: idle,
      remoteWaiting,
      ...(startWaits ? { startWaits } : {}),
      questions,
      autoEvaluate,
      now,
    };
    return states.compute(context);
  }, [states, tasks, manual, idle, remoteWaiting, startWaits, questions, autoEvaluate, now]);
}
