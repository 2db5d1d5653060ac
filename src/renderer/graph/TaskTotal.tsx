import { useMemo } from 'react';
import { useGraph } from '../state/graph-context';
import { internalTaskIds } from './internal-tasks';

/**
 * The sidebar's count of the project's tasks: the ones a person plans, as the graph's toolbar and `wg list` count
 * them, with upstream's system tasks (internal-tasks.ts) said apart, so an imported plan of 50 tasks does not read
 * as 200 here and 50 there.
 */
export function TaskTotal() {
  const { tasks, structureVersion, loaded } = useGraph();
  // biome-ignore lint/correctness/useExhaustiveDependencies: structureVersion is bumped whenever a task is added or removed, and which tasks are internal is read from their ids
  const internal = useMemo(() => internalTaskIds(tasks.values()).size, [structureVersion]);
  if (!loaded) return <div className="small muted">connecting…</div>;
  const planned = tasks.size - internal;
  return (
    <div className="small muted task-total">
      <span>
        {planned.toLocaleString()} {planned === 1 ? 'task' : 'tasks'}
      </span>
      {internal > 0 && <span>+ {internal.toLocaleString()} internal</span>}
    </div>
  );
}
