import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useCallback, useMemo, useState } from 'react';
import type { Task } from '../../shared/task';
import { ErrorAlert } from '../components/ErrorAlert';
import { TaskInspector } from '../inspector/TaskInspector';
import { useGraph } from '../state/graph-context';
import { useNavigation } from '../state/navigation';
import { GraphCanvas } from './GraphCanvas';
import { allTags, isFiltering, matchesFilter, NO_FILTER, type GraphFilter } from './graph-filter';
import { GraphToolbar } from './GraphToolbar';
import { useDependencyEditing } from './use-dependency-editing';
import { useGraphLayout } from './use-graph-layout';

// The form validates with the op registry (zod): loaded when first opened, not at startup.
const TaskForm = lazy(() => import('../tasks/TaskForm').then((m) => ({ default: m.TaskForm })));

type FormState = { mode: 'closed' } | { mode: 'create' } | { mode: 'edit'; task: Task };

/** The graph page: toolbar, canvas, the selected task's inspector and the task form. */
export function GraphPage() {
  const { tasks, structureVersion, loaded } = useGraph();
  const { selectedTask, selectTask } = useNavigation();
  const [filter, setFilter] = useState<GraphFilter>(NO_FILTER);
  const [form, setForm] = useState<FormState>({ mode: 'closed' });
  const layout = useGraphLayout(tasks, structureVersion);
  const dependencies = useDependencyEditing();

  const isVisible = useCallback((task: Task) => matchesFilter(task, filter), [filter]);
  const tags = useMemo(() => allTags(tasks.values()), [tasks]);
  const visibleCount = useMemo(() => {
    if (!isFiltering(filter)) return tasks.size;
    let count = 0;
    for (const task of tasks.values()) if (isVisible(task)) count++;
    return count;
  }, [tasks, filter, isVisible]);

  const showFirstMatch = () => {
    for (const task of tasks.values()) {
      if (isVisible(task)) {
        selectTask(task.id, true);
        return;
      }
    }
  };

  return (
    <div className="graph-page">
      <GraphToolbar
        filter={filter}
        onFilter={setFilter}
        tags={tags}
        shown={visibleCount}
        total={tasks.size}
        onNewTask={() => setForm({ mode: 'create' })}
        onSearchSubmit={showFirstMatch}
      />
      <ErrorAlert message={dependencies.error} onDismiss={dependencies.dismissError} />
      <div className="graph-body">
        <div className="graph-canvas" data-testid="graph-canvas">
          {loaded && tasks.size === 0 && (
            <div className="graph-empty">
              <p>No tasks yet.</p>
              <button type="button" className="primary" onClick={() => setForm({ mode: 'create' })}>
                Create the first task
              </button>
            </div>
          )}
          {layout.pending && <div className="graph-status muted">Laying out {tasks.size} tasks…</div>}
          <ReactFlowProvider>
            <GraphCanvas
              positions={layout.positions}
              isVisible={isVisible}
              filter={filter}
              visibleCount={visibleCount}
              onLink={(link) => void dependencies.link(link)}
              onUnlink={(links) => void dependencies.unlink(links)}
            />
          </ReactFlowProvider>
        </div>
        {selectedTask && (
          <TaskInspector
            key={selectedTask}
            taskId={selectedTask}
            onEdit={() => {
              const task = tasks.get(selectedTask);
              if (task) setForm({ mode: 'edit', task });
            }}
            onClose={() => selectTask(null)}
          />
        )}
      </div>
      {form.mode !== 'closed' && (
        <Suspense fallback={null}>
          <TaskForm
            task={form.mode === 'edit' ? form.task : undefined}
            onCancel={() => setForm({ mode: 'closed' })}
            onDone={(id) => {
              setForm({ mode: 'closed' });
              selectTask(id, true);
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
