import { useCallback, useState, type FormEvent, type KeyboardEvent } from 'react';
import { isAlive, type Agent } from '../../shared/agent';
import type { Message } from '../../shared/message';
import { useClient } from '../api/backend-context';
import { ErrorAlert } from '../components/ErrorAlert';
import { RelativeTime } from '../components/RelativeTime';
import { useMutation } from '../hooks/use-mutation';
import { useOpQuery } from '../hooks/use-op-query';

/** How far a person's message got, in words (upstream's statuses). */
const DELIVERY: Record<Message['status'], string> = {
  sent: 'not read yet',
  delivered: 'in the agent’s prompt',
  read: 'read by the agent',
  acknowledged: 'acknowledged',
};

/**
 * A task's messages (`wg msg list`), the agent's replies among them, and a box to send one
 * (`wg msg send`): a running Claude Code or codex agent started here gets it after its next tool call
 * (its hooks); any other run reads it when it checks. Ctrl+Enter (⌘+Enter) sends. Kept current by the
 * store's change events.
 */
export function TaskMessages({ taskId, agent }: { taskId: string; agent: Agent | null }) {
  const client = useClient();
  const load = useCallback(() => client['msg:list']({ task: taskId }), [client, taskId]);
  const { data: messages, error: loadError, reload } = useOpQuery(load, { onChange: true });
  const { run, pending, error, clearError } = useMutation();
  const [draft, setDraft] = useState('');
  const [urgent, setUrgent] = useState(false);
  const running = agent !== null && isAlive(agent);
  // Said as it is for this run: only a hooked one is handed messages while it works.
  const reach = !running
    ? ''
    : agent?.message_hooks
      ? 'Reaches it after its next tool call'
      : 'It sees this when it next checks its messages';

  const send = async () => {
    const body = draft.trim();
    if (!body || pending) return;
    const sent = await run(() => client['msg:send']({ task: taskId, message: body, priority: urgent ? 'urgent' : undefined }));
    if (sent) {
      setDraft('');
      setUrgent(false);
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
            running ? 'Tell the agent working on it, e.g. “use the existing auth helper”' : 'Leave a message; its next agent reads it first'
          }
          onChange={(e) => {
            setDraft(e.target.value);
            if (error) clearError();
          }}
          onKeyDown={onKeyDown}
        />
        <div className="message-form-row">
          <label className="message-urgent-choice">
            <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} /> Urgent
          </label>
          <span className="muted small">{reach}</span>
          <button type="submit" className="primary" disabled={pending || draft.trim() === ''} title="Send (Ctrl+Enter)">
            Send
          </button>
        </div>
        {error && <ErrorAlert message={error} />}
      </form>
    </div>
  );
}
