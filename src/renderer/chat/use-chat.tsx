import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ChatMessage } from '../../shared/chat';
import type { Task } from '../../shared/task';
import { useClient } from '../api/backend-context';
import { errorMessage } from '../api/op-error';
import { useOpQuery } from '../hooks/use-op-query';
import { useToasts } from '../notifications/toasts';
import { useGraph, useGraphRefresh, useGraphStore } from '../state/graph-context';
import { useProjectFacts } from '../state/project-facts';
import { batchIds, batchOf, type ChatBatch } from './chat-batch';
import { markChatTasks } from './chat-highlights';
import { undoBatch } from './undo-batch';

/** The message on its way: what was written and when, until its answer comes. */
export interface PendingMessage {
  text: string;
  sentAt: number;
}

export interface ChatState {
  history: ChatMessage[];
  historyError: string | null;
  pending: PendingMessage | null;
  /** The coordinator agent's run answering now (its steps are shown meanwhile). */
  workingRun: string | null;
  /** Why the last message got no answer, in a line. */
  error: string | null;
  /** Why nobody can answer here, with what to do (null: the coordinator hosts the chat). */
  unavailable: string | null;
  /** What each answer did to the graph, by the exchange's request id. */
  batches: ReadonlyMap<string, ChatBatch>;
  /** Request ids whose batch was undone. */
  undone: ReadonlySet<string>;
  send(text: string): Promise<boolean>;
  undo(requestId: string): Promise<void>;
}

const ChatContext = createContext<ChatState | null>(null);

/** A window waits for its answer as long as `wg chat` does by default, then shows it when it comes (history). */
const WAIT_S = 600;

const NO_COORDINATOR =
  'No coordinator runs for this project, so nobody can answer: start it (wg service start in the project folder, or open the project in the app).';

const codeOf = (error: unknown): string | null =>
  typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : null;

/**
 * The coordinator chat of the window, kept above the pages: a message on its way and what the answers did survive the
 * panel being closed and the page changed. Every call is an operation of the registry (chat:send, chat:history, and
 * the task operations an Undo is made of).
 */
export function ChatProvider({ children }: { children: ReactNode }) {
  const client = useClient();
  const store = useGraphStore();
  const refresh = useGraphRefresh();
  const toasts = useToasts();
  const { service, loaded } = useProjectFacts();
  const { agents } = useGraph();
  const history = useOpQuery(
    useCallback(() => client['chat:history']({}), [client]),
    { onChange: true },
  );
  const [pending, setPending] = useState<PendingMessage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [refused, setRefused] = useState<string | null>(null);
  const [batches, setBatches] = useState<ReadonlyMap<string, ChatBatch>>(new Map());
  const [undone, setUndone] = useState<ReadonlySet<string>>(new Set());
  const batchesNow = useRef(batches);
  batchesNow.current = batches;

  let workingRun: string | null = null;
  if (pending) for (const agent of agents.values()) if (agent.purpose === 'chat' && agent.state === 'working') workingRun = agent.id;
  const notRunning = loaded && (!service?.running || service.read_only === true);
  const unavailable = notRunning ? NO_COORDINATOR : refused;

  const undo = useCallback(
    async (requestId: string) => {
      const batch = batchesNow.current.get(requestId);
      if (!batch) return;
      try {
        const left = await undoBatch(client, batch, store.getState().tasks);
        await refresh();
        setUndone((now) => new Set(now).add(requestId));
        markChatTasks([]);
        toasts.push({
          tone: left.length > 0 ? 'info' : 'success',
          title: 'Undid what the coordinator did',
          body: left.length > 0 ? `Not put back: ${left.join('; ')}.` : undefined,
          // In place of the notice that offered it: its Undo is spent.
          key: `chat-batch:${requestId}`,
        });
      } catch (failure) {
        toasts.push({ tone: 'error', title: 'Could not undo all of it', body: errorMessage(failure) });
      }
    },
    [client, store, refresh, toasts],
  );

  const send = useCallback(
    async (text: string) => {
      if (pending) return false;
      const before: ReadonlyMap<string, Task> = store.getState().tasks;
      setPending({ text, sentAt: Date.now() });
      setError(null);
      try {
        const exchange = await client['chat:send']({ message: text, timeout: WAIT_S });
        setRefused(null);
        if (exchange.answer === null) setError('No answer yet: the coordinator is still at it. Its answer will appear here when it comes.');
        if (exchange.agent_id) {
          await refresh();
          const batch = batchOf(exchange.agent_id, before, store.getState().tasks);
          const ids = batchIds(batch);
          if (ids.length > 0) {
            setBatches((now) => new Map(now).set(exchange.request_id, batch));
            markChatTasks(ids);
            toasts.pushUndo(
              `The coordinator made ${batch.made.length} and changed ${batch.changed.length} task(s)`,
              () => void undo(exchange.request_id),
              'Marked in the graph. Undo takes the whole batch back.',
              { key: `chat-batch:${exchange.request_id}` },
            );
          }
        }
        return true;
      } catch (failure) {
        if (codeOf(failure) === 'unavailable') setRefused(`${errorMessage(failure)}: start the coordinator (wg service start) to chat.`);
        else setError(errorMessage(failure));
        return false;
      } finally {
        setPending(null);
        await history.reload();
      }
    },
    [pending, store, client, refresh, toasts, undo, history],
  );

  const value = useMemo<ChatState>(
    () => ({
      history: history.data ?? [],
      historyError: history.error,
      pending,
      workingRun,
      error,
      unavailable,
      batches,
      undone,
      send,
      undo,
    }),
    [history.data, history.error, pending, workingRun, error, unavailable, batches, undone, send, undo],
  );
  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

export function useChat(): ChatState {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChat outside <ChatProvider>');
  return chat;
}
