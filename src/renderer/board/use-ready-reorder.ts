import { useCallback, useEffect, useMemo, useState } from 'react';
import { priorityName, type Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useToasts } from '../notifications/toasts';
import { useGraphRefresh } from '../state/graph-context';
import { reorder, type PriorityChange } from './priority-order';

const NONE: ReadonlyMap<string, number> = new Map();

export interface ReadyReorder {
  /** Priorities being written: the column shows its new order at once, not after the round trip. */
  pending: ReadonlyMap<string, number>;
  /** Moves `id` to position `to` of the Ready column (`to` counted without it). */
  move(column: readonly string[], id: string, to: number): void;
}

/**
 * Reordering the Ready column, which is the coordinator's start order: a move changes the moved
 * task's priority (and, where ties leave no room, its neighbours' as little as keeps their order),
 * says so in a toast with Undo, and shows the new order while the edits are written.
 */
export function useReadyReorder(tasks: ReadonlyMap<string, Task>, order: ReadonlyMap<string, number>): ReadyReorder {
  const client = useClient();
  const refresh = useGraphRefresh();
  const toasts = useToasts();
  const [pending, setPending] = useState<ReadonlyMap<string, number>>(NONE);

  // A written priority is dropped from `pending` once the graph has it (the board then sorts by the task's own).
  useEffect(() => {
    setPending((current) => {
      if (current.size === 0) return current;
      const left = new Map([...current].filter(([id, priority]) => tasks.get(id)?.priority_value !== priority));
      return left.size === current.size ? current : left.size === 0 ? NONE : left;
    });
  }, [tasks]);

  const write = useCallback(
    async (changes: readonly PriorityChange[], to: 'to' | 'from') => {
      setPending((current) => new Map([...current, ...changes.map((change): [string, number] => [change.id, change[to]])]));
      try {
        for (const change of changes) await client['task:edit']({ id: change.id, priority: change[to] });
        await refresh();
        return true;
      } catch (failure) {
        setPending(NONE);
        toasts.push({ tone: 'error', title: 'Could not change the order', body: errorMessage(failure), key: 'ready-order' });
        await refresh().catch(() => undefined);
        return false;
      }
    },
    [client, refresh, toasts],
  );

  const move = useCallback(
    (column: readonly string[], id: string, to: number) => {
      const ranked = column.map((taskId) => ({
        id: taskId,
        priority: pending.get(taskId) ?? tasks.get(taskId)?.priority_value ?? 0,
        seq: order.get(taskId) ?? 0,
      }));
      const result = reorder(ranked, id, to);
      if (!result.ok) {
        toasts.push({ tone: 'error', title: 'Not moved', body: result.reason, key: 'ready-order' });
        return;
      }
      if (result.changes.length === 0) return;
      const others = column.filter((taskId) => taskId !== id);
      const title = (taskId: string | undefined) => (taskId ? `“${tasks.get(taskId)?.title ?? taskId}”` : '');
      void write(result.changes, 'to').then((done) => {
        if (!done) return;
        toasts.pushUndo(
          'Start order changed',
          () => void write(result.changes, 'from'),
          describe(result.changes, id, title(id), others[to] ? `before ${title(others[to])}` : `after ${title(others[to - 1])}`),
        );
      });
    },
    [pending, tasks, order, toasts, write],
  );

  return useMemo(() => ({ pending, move }), [pending, move]);
}

/**
 * “Fix the login” now starts before “Write docs”: its priority 10 (normal) → 11 (high). 2 tasks
 * above it raised to keep their order.
 */
function describe(changes: readonly PriorityChange[], id: string, title: string, where: string): string {
  const moved = changes.find((change) => change.id === id);
  const others = changes.filter((change) => change.id !== id);
  const level = (value: number) => `${value} (${priorityName(value)})`;
  let text = `${title} now starts ${where}: ${moved ? `its priority ${level(moved.from)} → ${level(moved.to)}` : 'its priority is unchanged'}.`;
  if (others.length > 0) {
    const raised = others.every((change) => change.to > change.from);
    text += ` ${others.length === 1 ? '1 task' : `${others.length} tasks`} ${raised ? 'above it raised' : 'below it lowered'} to keep their order.`;
  }
  return text;
}
