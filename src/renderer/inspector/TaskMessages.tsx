import { useCallback, useReducer, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { Agent } from '../../shared/agent';
import type { WgClient } from '../../shared/client';
import type { Message } from '../../shared/message';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { RelativeTime } from '../components/RelativeTime';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';
import { useGraph } from '../state/graph-context';
import { defaultExecutorOf, useProjectFacts } from '../state/project-facts';
import { messageReach, type MessageReach } from './message-reach';

/** How far a person's message got, in words (upstream's statuses). */
const DELIVERY: Record<Message['status'], string> = {
  sent: 'not read yet',
  delivered: 'in the agent’s prompt',
  read: 'read by the agent',
  acknowledged: 'acknowledged',
};

/** What the box promises, as it is for the run (message-reach.ts). */
const PROMISE: Record<Exclude<MessageReach['kind'], 'hooks'>, ReactNode> = {
  'when-it-asks': (
    <>
      Delivered when it next runs <code>wg log</code> or <code>wg msg read</code>
    </>
  ),
  'next-prompt': 'Its next agent gets it in its prompt',
  'none-yet': 'Nothing runs this task by itself: whoever does it reads it here',
};
const HOOKS_PROMISE: Record<Extract<MessageReach, { kind: 'hooks' }>['after'], string> = {
  'tool-call': 'Reaches it after its next tool call',
  request: 'Reaches it at its next model request, even mid-command',
};
const promise = (reach: MessageReach): ReactNode => (reach.kind === 'hooks' ? HOOKS_PROMISE[reach.after] : PROMISE[reach.kind]);

interface Draft {
  text: string;
  urgent: boolean;
}
const NO_DRAFT: Draft = { text: '', urgent: false };

/**
 * Unsent messages, per project (its client) and task, for as long as the window lives: the box is
 * drawn inside the inspector, which closes (Escape, ×, another task chosen), and a half-written
 * message must not go with it.
 */
const drafts = new WeakMap<WgClient, Map<string, Draft>>();

/**
 * The draft of `taskId`'s message, read from `drafts` at each render (so it is always this task's, whichever
 * task the box is shown for) and written there; `set` changes one task's draft, the one the change was made for.
 */
function useDraft(client: WgClient, taskId: string) {
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const draft = drafts.get(client)?.get(taskId) ?? NO_DRAFT;
  const set = (task: string, change: Partial<Draft>) => {
    const byTask = drafts.get(client) ?? new Map<string, Draft>();
    drafts.set(client, byTask);
    const next = { ...(byTask.get(task) ?? NO_DRAFT), ...change };
    if (next.text === '' && !next.urgent) byTask.delete(task);
    else byTask.set(task, next);
    redraw();
  };
  return [draft, set] as const;
}

/**
 * A task's messages (`wg msg list`), the agent's replies among them, and a box to send one
 * (`wg msg send`), with what it promises said as it is for the run (a hooked agent gets it after its
 * next tool call, any other run when it runs `wg log` or `wg msg read`). Ctrl+Enter (⌘+Enter) sends.
 * Kept current by the store's change events, so a message's state moves when the run reads it.
 * What is typed and not sent yet is kept per task while the window lives (useDraft).
 */
export function TaskMessages({ taskId, agent }: { taskId: string; agent: Agent | null }) {
  const client = useClient();
  const load = useCallback(() => client['msg:list']({ task: taskId }), [client, taskId]);
  const { data: messages, error: loadError, reload } = useOpQuery(load, { onChange: true });
  const { run, pending, error, clearError } = useMutation();
  const [{ text: draft, urgent }, setDraft] = useDraft(client, taskId);
  const { next, run: runType } = useExecutorTypes(taskId, agent);
  const reach = messageReach(agent, next, runType);
  const running = reach.kind === 'hooks' || (reach.kind === 'when-it-asks' && reach.running);

  const send = async () => {
    const body = draft.trim();
    if (!body || pending) return;
    const sentFor = taskId;
    const sent = await run(() => client['msg:send']({ task: sentFor, message: body, priority: urgent ? 'urgent' : undefined }));
    if (sent) {
      // The task it was sent for: the box may show another task's by now.
      setDraft(sentFor, NO_DRAFT);
      await reload();
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <div className="task-messages">
      {loadError && <ErrorAlert message={loadError} />}
      {messages && messages.length === 0 && <p className="muted">No messages yet.</p>}
      {messages && messages.length > 0 && (
        <ol className="message-list" aria-label="Messages">
          {messages.map((m) => {
            const fromAgent = m.agent_id !== undefined;
            return (
              <li key={m.id} className={`message ${fromAgent ? 'message-from-agent' : 'message-to-agent'}`} data-status={m.status}>
                <div className="message-meta">
                  <span className="message-sender">{fromAgent ? `${m.sender} (agent ${m.agent_id})` : m.sender}</span>
                  <RelativeTime iso={m.timestamp} />
                  {m.priority === 'urgent' && <span className="badge message-urgent">urgent</span>}
                  {!fromAgent && <span className="message-status">{DELIVERY[m.status]}</span>}
                </div>
                <div className="message-body">{m.body}</div>
              </li>
            );
          })}
        </ol>
      )}
      <form className="message-form" onSubmit={onSubmit}>
        <textarea
          aria-label={`Message to ${taskId}`}
          rows={2}
          value={draft}
          placeholder={
            running ? 'Tell the agent working on it, e.g. “use the existing auth helper”' : 'Leave a message for whoever works on it next'
          }
          onChange={(e) => {
            setDraft(taskId, { text: e.target.value });
            if (error) clearError();
          }}
          onKeyDown={onKeyDown}
        />
        <div className="message-form-row">
          <label className="message-urgent-choice">
            <input type="checkbox" checked={urgent} onChange={(e) => setDraft(taskId, { urgent: e.target.checked })} /> Urgent
          </label>
          <span className="muted small message-reach" data-reach={reach.kind}>
            {promise(reach)}
          </span>
          <button type="submit" className="primary" disabled={pending || draft.trim() === ''} title="Send (Ctrl+Enter)">
            Send
          </button>
        </div>
        {error && <ErrorAlert message={error} />}
      </form>
    </div>
  );
}

/** The executor type a run of this task would use: its own executor's, else the coordinator's default one's. */
/** The types of the executors of the task's next run and of the run working on it (its profile's, by name). */
function useExecutorTypes(taskId: string, agent: Agent | null) {
  const task = useGraph().tasks.get(taskId);
  const { executors, config } = useProjectFacts();
  const typeOf = (name: string) => executors.find((profile) => profile.name === name)?.type ?? null;
  return { next: typeOf(task?.executor ?? defaultExecutorOf(config)), run: agent ? typeOf(agent.executor) : null };
}
