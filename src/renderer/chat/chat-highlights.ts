import { useSyncExternalStore } from 'react';

/**
 * The tasks the coordinator's last answer made or changed, marked on their cards. A small store of its own, read per
 * card by whether it holds that card's task: a new answer re-renders only the cards whose mark changes, not the graph.
 */
let marked: ReadonlySet<string> = new Set();
const listeners = new Set<() => void>();

export function markChatTasks(ids: readonly string[]): void {
  marked = new Set(ids);
  for (const listener of listeners) listener();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** Whether the card of `taskId` is one the coordinator's last answer made or changed. */
export function useChatMarked(taskId: string): boolean {
  return useSyncExternalStore(subscribe, () => marked.has(taskId));
}

/** The tasks marked now (the graph shows the first of them when an answer marks some). */
export function useChatMarks(): ReadonlySet<string> {
  return useSyncExternalStore(subscribe, () => marked);
}
