import { useMemo, useState } from 'react';
import { useClock } from '../hooks/use-clock';
import { useGraph } from '../state/graph-context';
import { manualExecutors, useProjectFacts } from '../state/project-facts';
import { TaskStates, type StateContext, type TaskState } from './task-state';

/** Scheduled tasks turn ready when their time comes: states are looked at again this often. */
const RECHECK_MS = 30_000;

/** The state of every task (see task-state.ts), recomputed when the graph or the project changes. */
export function useTaskStates(): ReadonlyMap<string, TaskState> {
  const { tasks } = useGraph();
  const facts = useProjectFacts();
  const now = useClock(RECHECK_MS);
  const [states] = useState(() => new TaskStates());
  const { executors, config, service, serviceError, remote } = facts;
  const manual = useMemo(() => manualExecutors({ executors, config }), [executors, config]);
  const remoteWaiting = useMemo(() => new Map((remote?.waiting ?? []).map((w) => [w.task_id, w.reason])), [remote]);
  const idle = serviceError !== null || (service !== null && (!service.running || service.paused));
  return useMemo(() => {
    const context: StateContext = {
      tasks,
      manualExecutors: manual.names,
      defaultIsManual: manual.defaultIsManual,
      coordinatorIdle: idle,
      remoteWaiting,
      now,
    };
    return states.compute(context);
  }, [states, tasks, manual, idle, remoteWaiting, now]);
}
