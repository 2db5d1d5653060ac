import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { priorityName, type Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useToasts } from '../notifications/toasts';
import { useGraphRefresh } from '../state/graph-context';
import { reorder, type PriorityChange } from './priority-order';

const NONE: ReadonlyMap<string, number> = new Map();

/**
 * Moves of one card in a row (Alt+↓ pressed six times), told in one Undo notice that each move updates: its Undo
 * puts every task it touched back to the priority it had before the first move. It ends when its notice goes or
 * another card is moved.
 */
interface Burst {
  id: string;
  /** Toast key: a later burst (another card) gets a notice of its own. */
  key: string;
  /** Each touched task's priority before the burst (`from`) and after its latest move (`to`). */
  changes: Map<string, PriorityChange>;
}

export interface ReadyReorder {
  /** Priorities being written: the column shows its new order at once, not after the round trip. */
  pending: ReadonlyMap<string, number>;
  /** Moves `id` to position `to` of the Ready column (`to` counted without it). */
  move(column: readonly string[], id: string, to: number): void;
}

/**
 * Reordering the Ready column, which is the coordinator's start order: a move changes the moved
 * task's priority (and, where ties leave no room, its neighbours' as little as keeps their order),
 * says so in a toast with Undo, and shows the new order while the edits are written. Moves of the same card in a row
 * share one toast, whose Undo puts the card back where the first of them found it.
 */
export function useReadyReorder(tasks: ReadonlyMap<string, Task>, order: ReadonlyMap<string, number>): ReadyReorder {
  const client = useClient();
  const refresh = useGraphRefresh();
  const toasts = useToasts();
  const [pending, setPending] = useState<ReadonlyMap<string, number>>(NONE);
  const burst = useRef<Burst | null>(null);
  const bursts = useRef(0);

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
      const where = others[to] ? `before ${title(others[to])}` : `after ${title(others[to - 1])}`;
      // Merged as the move is made, not when its write returns: moves pressed faster than the round trip are one burst.
      let current = burst.current;
      if (current?.id !== id) {
        current = { id, key: `ready-order-undo:${++bursts.current}`, changes: new Map() };
        burst.current = current;
      }
      for (const change of result.changes) {
        const first = current.changes.get(change.id);
        current.changes.set(change.id, { id: change.id, from: first?.from ?? change.from, to: change.to });
      }
      const told = current;
      // What the burst has changed with this move, less any task a move put back where it was.
      const net = [...told.changes.values()].filter((change) => change.from !== change.to);
      void write(result.changes, 'to').then((done) => {
        if (!done) return;
        const end = () => {
          if (burst.current === told) burst.current = null;
        };
        toasts.pushUndo(
          'Start order changed',
          () => {
            end();
            void write(net, 'from');
          },
          describe(net, id, title(id), where),
          { key: told.key, onClose: end },
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
  // Moves in both directions in one burst can have raised some and lowered others.
  const raised = others.filter((change) => change.to > change.from).length;
  const lowered = others.length - raised;
  const tasks = (count: number) => (count === 1 ? '1 task' : `${count} tasks`);
  const kept = [raised > 0 ? `${tasks(raised)} above it raised` : '', lowered > 0 ? `${tasks(lowered)} below it lowered` : ''];
  if (others.length > 0) text += ` ${kept.filter(Boolean).join(' and ')} to keep their order.`;
  return text;
}
