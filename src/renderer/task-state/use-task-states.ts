import { startTransition, useDeferredValue, useEffect, useMemo, useReducer, useState } from 'react';
import { useClock } from '../hooks/use-clock';
import type { Task } from '../../shared/task';
import { autoEvaluates, defaultExecutorOf, manualExecutors, useProjectFacts } from '../state/project-facts';
import type { KeptDependents } from '../state/dependents';
import { useAgentQuestions } from '../state/agent-questions';
import { StatesInSlices, type WholeStates, type WithWhole } from './states-in-slices';
import { TaskStates, type StateContext } from './task-state';

/** Scheduled tasks turn ready when their time comes: states are looked at again this often. */
const RECHECK_MS = 30_000;

/**
 * The state of every task (see task-state.ts), recomputed when the graph or the project changes,
 * with the graph they are of: whole states only, so the caller draws that graph with them. A
 * change of a few tasks is worked out in the render that brings it; a big plan read from nothing
 * in time slices (states-in-slices.ts), the last whole states (null before the first) answered
 * meanwhile. The project's facts and the clock are read as of a moment ago: when they change, the
 * states they change are worked out again in a deferred render, not in the one that brought it.
 */
export function useTaskStates<G extends { tasks: ReadonlyMap<string, Task> }>(
  graph: G,
  /** The dependents index the caller keeps of the same graph, if it keeps one. */
  dependents?: KeptDependents,
  /** Work of the caller's on the whole states, done in their time slices before they are answered (the first render's). */
  withWhole?: WithWhole<G>,
): WholeStates<G> | null {
  const { tasks } = graph;
  const facts = useDeferredValue(useProjectFacts());
  const now = useDeferredValue(useClock(RECHECK_MS));
  const [states] = useState(() => new StatesInSlices<G>(new TaskStates(dependents), undefined, withWhole));
  // Drawn again when states worked out in the background are whole, in a transition as the graph's own changes are.
  const [, wholeAgain] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const drawn = states.latest();
    const off = states.onWhole(() => startTransition(wholeAgain));
    // States that came whole between the render and this effect.
    if (states.latest() !== drawn) startTransition(wholeAgain);
    return off;
  }, [states]);
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
  const context = useMemo((): StateContext => {
    return {
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
  }, [tasks, manual, idle, remoteWaiting, startWaits, questions, autoEvaluate, now]);
  return states.want(graph, context);
}
